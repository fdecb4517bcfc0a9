using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Sqlite;
using static KarabakhLedger.Testing.RecordingJson;

namespace KarabakhLedger.Cli.Tests;

/// <summary>Amendments through the real command line: a self-contradicting batch file, and separate processes retracting one event at once.</summary>
public sealed class AmendmentProcessTests
{
    private const int Processes = 6;

    private static readonly string StreamId = new Dyad("TUR", "RUS").StreamId;

    [Fact]
    public async Task A_batch_file_with_two_retractions_of_one_event_is_refused_and_writes_nothing()
    {
        var store = CliRunner.NewPath(".db");
        var original = Interaction();
        Assert.Equal(0, (await LedgerProcess.Start("record", await File(original), "--store", store).ExitAsync()).ExitCode);

        using var batch = LedgerProcess.Start("record", await File(Retraction(original), Retraction(original)), "--store", store);
        var result = await batch.ExitAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[1].retracts", result.Error);
        Assert.Contains("earlier in this batch", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Equal(["airspace-closed"], await TypesIn(store));
    }

    [Fact]
    public async Task Of_processes_retracting_one_event_at_once_exactly_one_stores_its_retraction()
    {
        var store = CliRunner.NewPath(".db");
        var original = Interaction();
        Assert.Equal(0, (await LedgerProcess.Start("record", await File(original), "--store", store).ExitAsync()).ExitCode);
        var files = new List<string>();
        for (var i = 0; i < Processes; i++)
        {
            files.Add(await File(Retraction(original)));
        }

        var processes = files.Select(f => LedgerProcess.Start("record", f, "--store", store)).ToArray();
        var results = await Task.WhenAll(processes.Select(p => p.ExitAsync()));
        foreach (var p in processes)
        {
            p.Dispose();
        }

        Assert.Single(results, r => r.ExitCode == 0);
        Assert.All(results.Where(r => r.ExitCode != 0), r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("retracts: ", r.Error);
            Assert.Contains("was retracted by", r.Error);
        });
        Assert.Equal(["airspace-closed", "interaction-retracted"], await TypesIn(store));
    }

    private static async Task<string[]> TypesIn(string path)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        return await store.ReadStreamAsync(StreamId).Select(e => e.Type).ToArrayAsync();
    }

    private static async Task<string> File(params JsonObject[] batch)
    {
        var path = CliRunner.NewPath(".json");
        await System.IO.File.WriteAllTextAsync(path, Batch(batch));
        return path;
    }
}
