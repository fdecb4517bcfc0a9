using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>The one-silo localhost cluster the CLI starts: real TCP ports, state kept across "commands".</summary>
[Collection(ClusterCollection.Name)]
public sealed class InProcessClusterTests(ITestOutputHelper output)
{
    private static readonly ScoreQuery Query = FeedTests.Query;

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task The_cli_cluster_answers_and_a_second_start_resumes_from_the_stored_checkpoint_and_snapshots()
    {
        var path = TestLedgers.NewPath();
        await using var ledger = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        await using var snapshots = await SqliteSnapshotStore.OpenAsync(SqliteSnapshotStore.PathBesideLedger(path), TimeProvider.System);
        await TestLedgers.SeedCorpusAsync(ledger);
        var rusTur = new Dyad("RUS", "TUR");
        var quiet = (await TestLedgers.DyadsAsync(ledger)).First(d => !TestLedgers.SyntheticDyads.Contains(d));

        var started = System.Diagnostics.Stopwatch.StartNew();
        await using (var cluster = await InProcessLedgerCluster.StartAsync(ledger, snapshots, cancellationToken: Timeouts.Wait()))
        {
            output.WriteLine($"first start: silo up in {started.ElapsedMilliseconds} ms");
            await cluster.CatchUpAsync(Timeouts.Wait());
            output.WriteLine($"caught up {started.ElapsedMilliseconds} ms after start");
            Assert.Equal(
                Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, rusTur, Query, ModelCatalog.Bundled.Default)),
                Json.Of(await cluster.ScoreAsync(rusTur, Query, cancellationToken: Timeouts.Wait())));
            Assert.Equal(
                Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, quiet, Query, ModelCatalog.Bundled.Default)),
                Json.Of(await cluster.ScoreAsync(quiet, Query, cancellationToken: Timeouts.Wait())));
        }

        await TestLedgers.AppendSyntheticAsync(ledger, 40, seed: 10);
        started.Restart();
        await using (var cluster = await InProcessLedgerCluster.StartAsync(ledger, snapshots, cancellationToken: Timeouts.Wait()))
        {
            var caughtUp = await cluster.CatchUpAsync(Timeouts.Wait());
            output.WriteLine($"second start: caught up with {caughtUp.Head} {started.ElapsedMilliseconds} ms after start");
            var feed = await cluster.GetFeedStatusAsync(Timeouts.Wait());
            Assert.Equal(await TestLedgers.HeadAsync(ledger), feed.Checkpoint);
            Assert.Equal(feed.Checkpoint, feed.EventsDelivered);

            var status = await cluster.Grains.GetGrain<Contracts.IDyadGrain>(Contracts.ProjectionKeys.Dyad(1, quiet)).GetStatusAsync();
            Assert.Equal(0, status.ReadOnActivation);
            Assert.Equal(status.StreamVersion, status.SnapshotStreamVersion);
            Assert.Equal(
                Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, rusTur, Query, ModelCatalog.Bundled.Default)),
                Json.Of(await cluster.ScoreAsync(rusTur, Query, cancellationToken: Timeouts.Wait())));
            var timeline = await cluster.TimelineAsync(rusTur, new DateOnly(2016, 1, 1), new DateOnly(2020, 12, 31), Bucket.Month, Query, cancellationToken: Timeouts.Wait());
            Assert.Equal(60, timeline.Points.Count);
        }
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Projection_state_left_by_another_ledger_is_noticed_and_rebuilt()
    {
        var path = TestLedgers.NewPath();
        var projectionPath = SqliteSnapshotStore.PathBesideLedger(path);
        await using (var first = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System))
        await using (var snapshots = await SqliteSnapshotStore.OpenAsync(projectionPath, TimeProvider.System))
        {
            await TestLedgers.AppendSyntheticAsync(first, 500, seed: 12);
            await using var cluster = await InProcessLedgerCluster.StartAsync(first, snapshots, cancellationToken: Timeouts.Wait());
            await cluster.CatchUpAsync(Timeouts.Wait());
        }

        // The ledger file is deleted and another one, with other events, takes its name; the projection file stays.
        File.Delete(path);
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
        await using var second = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        await using var kept = await SqliteSnapshotStore.OpenAsync(projectionPath, TimeProvider.System);
        await TestLedgers.AppendSyntheticAsync(second, 300, seed: 13);
        await using var again = await InProcessLedgerCluster.StartAsync(second, kept, cancellationToken: Timeouts.Wait());
        var caughtUp = await again.CatchUpAsync(Timeouts.Wait());
        Assert.Equal(await TestLedgers.HeadAsync(second), caughtUp.Head);
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            Assert.Equal(
                Json.Of(await TestLedgers.ExpectedScoreAsync(second, dyad, Query, ModelCatalog.Bundled.Default)),
                Json.Of(await again.ScoreAsync(dyad, Query, cancellationToken: Timeouts.Wait())));
        }

        await Assert.ThrowsAsync<KeyNotFoundException>(() => again.ScoreAsync(new Dyad("RUS", "TUR"), Query, "no-such-model@1", Timeouts.Wait()));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_test_clock_that_never_moves_drives_the_projections_without_stopping_the_silo()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        var frozen = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var cluster = await InProcessLedgerCluster.StartAsync(ledger, snapshots, clock: frozen, cancellationToken: Timeouts.Wait());
        await TestLedgers.SeedCorpusAsync(ledger);
        await TestLedgers.AppendSyntheticAsync(ledger, 1500, seed: 15);
        await cluster.CatchUpAsync(Timeouts.Wait());
        var rusTur = new Dyad("RUS", "TUR");
        Assert.Equal(
            Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, rusTur, Query, ModelCatalog.Bundled.Default)),
            Json.Of(await cluster.ScoreAsync(rusTur, Query, cancellationToken: Timeouts.Wait())));

        var reports = 0;
        var replay = await cluster.ReplayAsync("goldstein-icews@1", new Progress<ReplayProgress>(_ => Interlocked.Increment(ref reports)), Timeouts.Wait());
        Assert.Equal(frozen.GetUtcNow(), replay.Generation.ActivatedAt);
        Assert.Equal(
            Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, rusTur, Query, ModelCatalog.Bundled.Get("goldstein-icews@1"))),
            Json.Of(await cluster.ScoreAsync(rusTur, Query, cancellationToken: Timeouts.Wait())));
        output.WriteLine($"frozen clock: replay of {replay.EventsDelivered} events done, {reports} progress reports");
    }
}
