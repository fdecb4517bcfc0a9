using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Verification;
using KarabakhLedger.Testing.Tampering;

namespace KarabakhLedger.Ledger.Marten.Tests.Tampering;

/// <summary>The tampers only PostgreSQL allows: rows hidden from Marten's readers, and Marten's stream rows deleted.</summary>
public sealed class MartenHiddenRowTests
{
    [Theory]
    [InlineData("is_archived = true", "is_archived")]
    [InlineData("type = 'tombstone'", "type 'tombstone'")]
    public async Task A_row_hidden_from_the_ledgers_readers_is_missing_with_the_reason_named(string set, string reason)
    {
        using var key = LedgerSigningKey.Create();
        await using var ledger = (MartenTamperedLedger)await MartenTamperedLedger.CreateAsync();
        var (checkpoint, events, _) = await TamperSuite.SeedAsync(ledger, key);
        var victim = events[^5];
        await ledger.HideAsync(victim.Position, set);

        await using var store = await ledger.OpenAsync();
        var report = await CheckpointVerifier.VerifyAsync(store, checkpoint, key.Public);

        var change = Assert.IsType<LedgerChange>(report.Checkpoint!.FirstChange);
        Assert.Equal((ChangeKind.Missing, (long?)events.Count - 5, victim.EventId), (change.Kind, change.LeafIndex, change.EventId));
        Assert.Contains(reason, change.Detail);
        Assert.False(report.Intact);
    }

    [Fact]
    public async Task Deleting_the_mt_streams_row_of_a_stream_is_detected_against_the_checkpoint()
    {
        using var key = LedgerSigningKey.Create();
        await using var ledger = (MartenTamperedLedger)await MartenTamperedLedger.CreateAsync();
        var (checkpoint, events, _) = await TamperSuite.SeedAsync(ledger, key);
        var stream = events[3].StreamId;
        await ledger.DeleteStreamRowAsync(stream);

        await using var store = await ledger.OpenAsync();
        var report = await CheckpointVerifier.VerifyAsync(store, checkpoint, key.Public);

        var change = Assert.IsType<LedgerChange>(report.Checkpoint!.FirstChange);
        Assert.Equal((ChangeKind.Missing, (long?)3, stream), (change.Kind, change.LeafIndex, change.StreamId));
        Assert.False(report.Intact);
    }
}
