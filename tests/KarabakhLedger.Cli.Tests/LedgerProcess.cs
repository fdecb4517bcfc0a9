using System.Diagnostics;

namespace KarabakhLedger.Cli.Tests;

/// <summary>The real <c>ledger</c> as a separate process (<c>dotnet ledger.dll ARGS</c>), with its output collected.</summary>
public sealed class LedgerProcess : IDisposable
{
    private readonly System.Text.StringBuilder _out = new();
    private readonly System.Text.StringBuilder _error = new();

    private LedgerProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ledger.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        Process = Process.Start(start)!;
        Process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        Process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public static LedgerProcess Start(params string[] args) => new(args);

    /// <summary>Waits for the process to end on its own and returns what it said.</summary>
    public async Task<CliResult> ExitAsync()
    {
        await Process.WaitForExitAsync();
        lock (_out)
        {
            return new CliResult(Process.ExitCode, _out.ToString(), _error.ToString());
        }
    }

    /// <summary>Kills the process with SIGKILL, as <c>kill -9</c> does, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    public void Dispose() => Process.Dispose();

    private void Append(System.Text.StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (_out)
            {
                to.AppendLine(line);
            }
        }
    }
}
