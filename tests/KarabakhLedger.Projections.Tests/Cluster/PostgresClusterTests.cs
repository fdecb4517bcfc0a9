using System.Diagnostics;
using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Testing;
using Xunit.Abstractions;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>The same projections over PostgreSQL: the Marten ledger and the PostgreSQL projection store.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresClusterTests(ITestOutputHelper output)
{
    private static readonly ScoreQuery Query = FeedTests.Query;

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task On_postgres_a_killed_feed_silo_loses_nothing_and_scores_equal_direct_scoring()
    {
        var server = await PostgresServer.GetAsync();
        await using var ledgerSchema = server.NewSchema();
        await using var projectionSchema = server.NewSchema();
        await using var ledger = await MartenLedgerStore.OpenAsync(server.ConnectionString, TimeProvider.System, ledgerSchema.Name);
        await using var snapshots = await PostgresSnapshotStore.OpenAsync(server.ConnectionString, TimeProvider.System, projectionSchema.Name);
        await TestLedgers.SeedCorpusAsync(ledger);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (40, 40));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        var appending = Task.Run(() => TestLedgers.AppendSyntheticAsync(ledger, 2000, seed: 11, perAppend: 20));
        FeedStatus status;
        do
        {
            await cluster.Projections.PokeAsync();
            status = await cluster.Feed(1).WaitForPositionAsync(800, TimeSpan.FromSeconds(5)).WaitAsync(Timeouts.Wait());
        }
        while (status.Checkpoint < 800);

        var doomed = cluster.SiloOf(status.Silo);
        await cluster.Cluster.KillSiloAsync(doomed);
        output.WriteLine($"killed the feed's silo at checkpoint {status.Checkpoint}; appends done: {appending.IsCompleted}");
        await appending.WaitAsync(Timeouts.Wait());
        Assert.True(status.Checkpoint < await TestLedgers.HeadAsync(ledger), "the kill came after the feed had finished");

        var watch = Stopwatch.StartNew();
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        status = await cluster.Feed(1).GetStatusAsync();
        output.WriteLine($"caught up with {caughtUp.Head} {watch.ElapsedMilliseconds} ms later on {status.Silo}; feed rate {status.EventsPerSecond:0} events/s");
        Assert.Equal(await TestLedgers.HeadAsync(ledger), caughtUp.Head);
        Assert.NotEqual(doomed.SiloAddress, cluster.SiloOf(status.Silo).SiloAddress);

        foreach (var dyad in await TestLedgers.DyadsAsync(ledger))
        {
            var events = await TestLedgers.ReadDyadAsync(ledger, dyad);
            Assert.Equal(events.Count, (await cluster.Dyad(1, dyad).GetStatusAsync()).Events);
            Assert.Equal(
                Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Default)),
                Json.Of(await cluster.Projections.ScoreAsync(dyad, Query, cancellationToken: Timeouts.Wait())));
        }

        var replay = await cluster.Projections.ReplayAsync("goldstein-icews@1", cancellationToken: Timeouts.Wait());
        output.WriteLine($"replay on postgres: {replay.EventsDelivered} events in {replay.Elapsed.TotalMilliseconds:0} ms, {replay.EventsPerSecond:0} events/s");
        var rusTur = new Domain.Dyads.Dyad("RUS", "TUR");
        Assert.Equal(
            Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, rusTur, Query, ModelCatalog.Bundled.Get("goldstein-icews@1"))),
            Json.Of(await cluster.Projections.ScoreAsync(rusTur, Query, cancellationToken: Timeouts.Wait())));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Feed_and_replay_throughput_on_postgres()
    {
        var server = await PostgresServer.GetAsync();
        await using var ledgerSchema = server.NewSchema();
        await using var projectionSchema = server.NewSchema();
        await using var ledger = await MartenLedgerStore.OpenAsync(server.ConnectionString, TimeProvider.System, ledgerSchema.Name);
        await using var snapshots = await PostgresSnapshotStore.OpenAsync(server.ConnectionString, TimeProvider.System, projectionSchema.Name);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => o.PollInterval = TimeSpan.FromMinutes(10));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var corpus = await TestLedgers.SeedCorpusAsync(ledger);
        var watch = Stopwatch.StartNew();
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        output.WriteLine($"postgres, seed corpus: {corpus} events delivered in {watch.Elapsed.TotalMilliseconds:0} ms");

        await TestLedgers.AppendSyntheticAsync(ledger, 10_000, seed: 14, perAppend: 500);
        watch.Restart();
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var elapsed = watch.Elapsed;
        var status = await cluster.Feed(1).GetStatusAsync();
        output.WriteLine($"postgres, 10000 synthetic events delivered in {elapsed.TotalMilliseconds:0} ms: {10_000 / elapsed.TotalSeconds:0} events/s end to end ({status.EventsPerSecond:0} by the feed's clock)");
        Assert.Equal(await TestLedgers.HeadAsync(ledger), caughtUp.Head);

        var replay = await cluster.Projections.ReplayAsync("goldstein-icews@1", cancellationToken: Timeouts.Wait());
        output.WriteLine($"postgres, replay of {replay.EventsDelivered} events: {replay.Elapsed.TotalMilliseconds:0} ms, {replay.EventsPerSecond:0} events/s");
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            Assert.Equal((await TestLedgers.ReadDyadAsync(ledger, dyad)).Count, (await cluster.Dyad(replay.Generation.Id, dyad).GetStatusAsync()).Events);
        }
    }
}
