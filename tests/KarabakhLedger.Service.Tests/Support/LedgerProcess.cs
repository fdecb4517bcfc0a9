using System.Diagnostics;
using System.Text;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>Runs the <c>ledger</c> command line (the CLI as built beside this test project) in a process of its own.</summary>
public static class LedgerProcess
{
    /// <summary>Runs <c>ledger ARGS</c> with exactly <paramref name="stdin"/> on its standard input, to its exit.</summary>
    public static async Task<LedgerProcessResult> RunAsync(byte[] stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServeProcess.CliAssembly());
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ledger did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return new LedgerProcessResult(process.ExitCode, await output, await error);
    }
}

public sealed record LedgerProcessResult(int ExitCode, string Out, string Error);
