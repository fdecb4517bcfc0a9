using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KarabakhLedger.Ledger.Marten.Tests;

/// <summary>
/// A stand-in for a PostgreSQL server that asks for a password and refuses whichever it gets, the way PostgreSQL
/// answers a wrong one (FATAL 28P01). The test server trusts every local login, so it cannot show that case itself.
/// It speaks just enough of the wire protocol: declines SSL and GSS encryption, reads the startup message, asks for a
/// clear-text password, reads it, and sends the error.
/// </summary>
internal sealed class RefusingPostgres : IAsyncDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public RefusingPostgres()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
            // The accept loop ends this way when disposed.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            await using var stream = client.GetStream();
            await RefuseAsync(stream, _stop.Token);
        }
    }

    private static async Task RefuseAsync(NetworkStream stream, CancellationToken ct)
    {
        while (true)
        {
            var startup = await ReadStartupAsync(stream, ct);
            if (startup is SslRequest or GssEncRequest)
            {
                await stream.WriteAsync("N"u8.ToArray(), ct);
                continue;
            }

            break;
        }

        // AuthenticationCleartextPassword, then the client's PasswordMessage.
        await stream.WriteAsync(new byte[] { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 3 }, ct);
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, ct);
        await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4], ct);

        // ErrorResponse: severity, code and message fields, as PostgreSQL sends them for a wrong password.
        using var fields = new MemoryStream();
        foreach (var (code, text) in new[] { ('S', "FATAL"), ('V', "FATAL"), ('C', "28P01"), ('M', "password authentication failed for user \"ledger_user\"") })
        {
            fields.WriteByte((byte)code);
            fields.Write(Encoding.UTF8.GetBytes(text));
            fields.WriteByte(0);
        }

        fields.WriteByte(0);
        var error = new byte[5 + fields.Length];
        error[0] = (byte)'E';
        BinaryPrimitives.WriteInt32BigEndian(error.AsSpan(1), (int)fields.Length + 4);
        fields.ToArray().CopyTo(error, 5);
        await stream.WriteAsync(error, ct);
    }

    /// <summary>Reads one length-prefixed startup-phase message and returns its 4-byte code.</summary>
    private static async Task<int> ReadStartupAsync(NetworkStream stream, CancellationToken ct)
    {
        var length = new byte[4];
        await stream.ReadExactlyAsync(length, ct);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(length) - 4];
        await stream.ReadExactlyAsync(body, ct);
        return BinaryPrimitives.ReadInt32BigEndian(body);
    }
}
