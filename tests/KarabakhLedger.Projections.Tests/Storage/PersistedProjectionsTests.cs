using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Cluster;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Projections.Tests.Storage;

/// <summary>
/// The persisted projections read without a silo (ADR 22) answer as the grains do: with no snapshots yet (a silo still
/// running after its catch-up), with every snapshot (after a silo stopped), and with snapshots that lag the streams.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PersistedProjectionsTests
{
    private static readonly Dyad[] Asked = [.. TestLedgers.SyntheticDyads, new Dyad("BAYKAR", "UKR"), new Dyad("ARM", "TUR")];

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Read_without_a_silo_they_answer_as_the_grains_and_only_while_they_stand_on_the_head()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.SeedCorpusAsync(ledger);
        await TestLedgers.AppendSyntheticAsync(ledger, 700, seed: 22);
        var firstPart = DateTimeOffset.UtcNow;
        Assert.Equal("none are stored yet", (await PersistedProjections.OpenIfCurrentAsync(ledger, snapshots)).Behind);

        await using (var cluster = await InProcessLedgerCluster.StartAsync(ledger, snapshots, cancellationToken: Timeouts.Wait()))
        {
            await cluster.CatchUpAsync(Timeouts.Wait());
            await AnswerAsTheGrainsAsync(cluster, await CurrentAsync(ledger, snapshots), firstPart);
        }

        await AnswerAsTheGrainsAfterRestartAsync(ledger, snapshots, firstPart, o => { });

        await TestLedgers.AppendSyntheticAsync(ledger, 300, seed: 23);
        var head = await TestLedgers.HeadAsync(ledger);
        var behind = await PersistedProjections.OpenIfCurrentAsync(ledger, snapshots);
        Assert.Null(behind.Projections);
        Assert.Matches($@"^they stand at position \d+, the ledger at {head}$", behind.Behind);

        // No snapshot is written while this silo runs: the reader completes the first silo's snapshots from the streams.
        await AnswerAsTheGrainsAfterRestartAsync(ledger, snapshots, firstPart, o => o.SnapshotMinEvents = 1_000_000);
    }

    private static async Task AnswerAsTheGrainsAfterRestartAsync(
        Ledger.Store.ILedgerStore ledger, ISnapshotStore snapshots, DateTimeOffset firstPart, Action<LedgerProjectionOptions> configure)
    {
        await using var cluster = await InProcessLedgerCluster.StartAsync(ledger, snapshots, configure, cancellationToken: Timeouts.Wait());
        await cluster.CatchUpAsync(Timeouts.Wait());
        await AnswerAsTheGrainsAsync(cluster, await CurrentAsync(ledger, snapshots), firstPart);
    }

    private static async Task<PersistedProjections> CurrentAsync(Ledger.Store.ILedgerStore ledger, ISnapshotStore snapshots)
    {
        var (projections, behind) = await PersistedProjections.OpenIfCurrentAsync(ledger, snapshots);
        Assert.True(projections is not null, behind);
        Assert.NotNull(projections);
        Assert.Equal(await TestLedgers.HeadAsync(ledger), projections.Position);
        return projections;
    }

    private static async Task AnswerAsTheGrainsAsync(InProcessLedgerCluster cluster, PersistedProjections persisted, DateTimeOffset firstPart)
    {
        ScoreQuery[] queries =
        [
            FeedTests.Query,
            FeedTests.Query with { AsOf = new DateOnly(2019, 12, 31) },
            new(new DateOnly(2025, 6, 30), firstPart),
        ];
        foreach (var dyad in Asked)
        {
            foreach (var query in queries)
            {
                Assert.Equal(
                    Json.Of(await cluster.ScoreAsync(dyad, query, cancellationToken: Timeouts.Wait())),
                    Json.Of(await persisted.ScoreAsync(dyad, query)));
                Assert.Equal(
                    Json.Of(await cluster.TimelineAsync(dyad, new DateOnly(2014, 1, 1), new DateOnly(2025, 6, 30), Bucket.Quarter, query, "goldstein-icews@1", Timeouts.Wait())),
                    Json.Of(await persisted.TimelineAsync(dyad, new DateOnly(2014, 1, 1), new DateOnly(2025, 6, 30), Bucket.Quarter, query, "goldstein-icews@1")));
            }
        }
    }
}
