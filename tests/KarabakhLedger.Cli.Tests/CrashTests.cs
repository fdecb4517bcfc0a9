using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KarabakhLedger.Cli.Tests;

/// <summary>Kills a real <c>ledger record</c> process at many moments of a large multi-stream append.</summary>
public sealed class CrashTests
{
    private const int Acts = 3000;
    private const int EventsPerAct = 3;

    [Fact]
    public async Task A_process_killed_mid_append_leaves_all_of_the_append_or_none_of_it()
    {
        var store = CliRunner.NewPath(".db");
        var input = CliRunner.NewPath(".json");
        await File.WriteAllTextAsync(input, BigBatch());
        var outcomes = new List<long>();

        for (var delay = 150; delay <= 6000; delay += 150)
        {
            using var process = Start(store, input);
            var exited = process.WaitForExit(delay);
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

    private static string BigBatch()
    {
        var parties = new[] { "ARM", "AZE", "RUS", "TUR", "UKR", "GEO", "IRN" };
        var acts = new JsonArray();
        for (var i = 0; i < Acts; i++)
        {
            acts.Add(new JsonObject
            {
                ["type"] = "talks-held",
                ["cameoCode"] = "046",
                ["participants"] = new JsonArray(parties[i % 7], parties[(i + 1) % 7], parties[(i + 3) % 7]),
                ["occurredOn"] = $"{2000 + i % 23}-{1 + i % 12:D2}",
                ["theatre"] = "south-caucasus",
                ["summary"] = $"Round {i} of synthetic talks.",
                ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "Test", ["title"] = "Synthetic", ["document"] = "none", ["passage"] = $"act {i}" }),
            });
        }

        return acts.ToJsonString();
    }
}
