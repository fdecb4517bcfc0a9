using System.Diagnostics;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>
/// A throwaway redis-server on a free loopback port, without persistence, for the cluster tests; or the server named
/// by <see cref="EnvironmentVariable"/>. The Debian package <c>redis-server</c> provides the binary.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "LEDGER_TEST_REDIS";

    private readonly Process? _process;

    private RedisServer(string configuration, Process? process)
    {
        Configuration = configuration;
        _process = process;
    }

    /// <summary>The StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6390</c>.</summary>
    public string Configuration { get; }

    /// <summary>The redis-server binary on the PATH, or null when there is none.</summary>
    public static string? Binary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    public static bool Available => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) || Binary() is not null;

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return new RedisServer(configured, null);
        }

        var binary = Binary() ?? throw new InvalidOperationException($"No redis-server on the PATH: install Debian's redis-server, or set {EnvironmentVariable}.");
        var port = FreePorts.Next();
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer($"127.0.0.1:{port}", process);
        try
        {
            await FreePorts.WaitForListenerAsync(port, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
