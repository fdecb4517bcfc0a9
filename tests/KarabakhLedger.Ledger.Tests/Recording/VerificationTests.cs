using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Tests.Sqlite;
using KarabakhLedger.Ledger.Verification;
using KarabakhLedger.Testing;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Ledger.Tests.Recording;

public sealed class VerificationTests
{
    private static async Task<string> SeededLedger()
    {
        var path = TempLedger.NewPath();
        await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        await new LedgerRecorder(store, EventSerializer.Default, TimeProvider.System).RecordAsync(SeedCorpus.Load());
        return path;
    }

    private static async Task Tamper(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<VerificationReport> Verify(string path)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        return await ChainVerifier.VerifyAsync(store);
    }

    [Fact]
    public async Task An_untouched_ledger_verifies()
    {
        var report = await Verify(await SeededLedger());

        Assert.True(report.Intact);
        Assert.True(report.EventsChecked >= 60);
    }

    [Fact]
    public async Task An_edited_summary_is_found_at_its_event()
    {
        var path = await SeededLedger();
        await Tamper(path, "UPDATE ledger_events SET data = replace(data, 'Türkiye', 'Turkey') WHERE position = (SELECT MIN(position) FROM ledger_events WHERE data LIKE '%Türkiye%' AND stream_id = 'dyad-RUS-TUR')");

        var broken = (await Verify(path)).FirstBroken;

        Assert.NotNull(broken);
        Assert.Equal("dyad-RUS-TUR", broken.StreamId);
        Assert.Contains("altered", broken.Problem);
    }

    [Fact]
    public async Task A_deleted_event_breaks_the_chain_at_the_next_version()
    {
        var path = await SeededLedger();
        await Tamper(path, "DELETE FROM ledger_events WHERE stream_id = 'dyad-ARM-AZE' AND stream_version = 2");

        var broken = (await Verify(path)).FirstBroken;

        Assert.NotNull(broken);
        Assert.Equal(("dyad-ARM-AZE", 3L), (broken.StreamId, broken.StreamVersion));
    }

    [Fact]
    public async Task A_rehashed_forgery_is_still_caught_by_its_successor()
    {
        var path = await SeededLedger();
        await Tamper(path, "UPDATE ledger_events SET recorded_at = '2020-01-01T00:00:00.000000Z' WHERE stream_id = 'dyad-RUS-TUR' AND stream_version = 1");
        string forged;
        await using (var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System))
        {
            var first = await store.ReadStreamAsync("dyad-RUS-TUR").FirstAsync();
            forged = Store.EventHash.Compute(first);
        }

        await Tamper(path, $"UPDATE ledger_events SET hash = '{forged}' WHERE stream_id = 'dyad-RUS-TUR' AND stream_version = 1");

        var broken = (await Verify(path)).FirstBroken;

        Assert.NotNull(broken);
        Assert.Equal(("dyad-RUS-TUR", 2L), (broken.StreamId, broken.StreamVersion));
        Assert.Contains("previous hash", broken.Problem);
    }
}
