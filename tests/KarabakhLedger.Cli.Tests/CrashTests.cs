using System.Diagnostics;

namespace KarabakhLedger.Cli.Tests;

/// <summary>Kills a real <c>ledger record</c> process at many moments of a large multi-stream append.</summary>
public sealed class CrashTests
{
    private const int Acts = 3000;
    private const int EventsPerAct = SyntheticTalks.EventsPerAct;

    [Fact]
    public async Task A_process_killed_mid_append_leaves_all_of_the_append_or_none_of_it()
    {
        var store = CliRunner.NewPath(".db");
        var input = CliRunner.NewPath(".json");
        await File.WriteAllTextAsync(input, SyntheticTalks.Json(Acts, 0));
        var outcomes = new List<long>();

        // Kills at 150 ms steps up to 6 s; a busy machine may need longer for the whole append, so the last try waits for it.
        for (var delay = 150; ; delay += 150)
        {
            using var process = Start(store, input);
            var exited = process.WaitForExit(delay <= 6000 ? delay : 120_000);
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            var count = await SqliteFiles.CountEventsAsync(store);
            outcomes.Add(count);
            Assert.True(count % (Acts * EventsPerAct) == 0, $"after a kill at {delay} ms the ledger holds {count} events: a partial append");
            if (exited)
            {
                Assert.Equal(0, process.ExitCode);
                break;
            }
        }

        Assert.Equal(Acts * EventsPerAct, outcomes[^1]);
        Assert.Contains(0L, outcomes);
        var verify = await new CliRunner().Run("verify", "--store", store);
        Assert.Equal(0, verify.ExitCode);
    }

    private static Process Start(string store, string input)
    {
        var ledger = Path.Combine(AppContext.BaseDirectory, "ledger.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { ledger, "record", input, "--store", store })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
