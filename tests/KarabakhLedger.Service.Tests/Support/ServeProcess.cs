using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using KarabakhLedger.Service.Security;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>
/// A <c>ledger serve</c> node in a process of its own (the CLI as built beside this test project), with the test
/// API keys. <see cref="Kill"/> ends it abruptly, as a crash would.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { CliAssembly(), "serve", "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in TestAuth.Configuration())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var node = new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("ledger serve did not start."), new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await node.WaitUntilHealthyAsync(cancellationToken);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    public HttpClient As(string role)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, TestAuth.ApiKey(role));
        return client;
    }

    /// <summary>Ends the process at once (SIGKILL), with no chance to leave the cluster gracefully.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ledger serve exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                if ((await client.GetAsync("/health", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet, or still starting.
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>ledger.dll as built for this configuration: src/KarabakhLedger.Cli/bin/&lt;configuration&gt;/net10.0.</summary>
    internal static string CliAssembly()
    {
        var configuration = typeof(ServeProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(RepoPaths.Root(), "src", "KarabakhLedger.Cli", "bin", configuration, "net10.0", "ledger.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the CLI first (dotnet build).", path);
    }
}
