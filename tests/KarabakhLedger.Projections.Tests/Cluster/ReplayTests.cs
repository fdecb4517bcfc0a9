using System.Collections.Concurrent;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using Xunit.Abstractions;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>Blue/green replay: a new generation under another model is built beside the live one, then takes over.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplayTests(ITestOutputHelper output)
{
    private static readonly ScoreQuery Query = FeedTests.Query;

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Once_a_replay_is_live_the_retired_generations_grains_are_released()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.SeedCorpusAsync(ledger);
        await TestLedgers.AppendSyntheticAsync(ledger, 600, seed: 21);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        await cluster.Projections.ScoreAsync(new Dyad("TUR", "UKR"), Query, cancellationToken: Timeouts.Wait());
        var dyads = (await TestLedgers.DyadsAsync(ledger)).Count;
        Assert.True(await ActiveAsync(cluster, "karabakh.dyad", generation: 1) >= dyads, "every dyad of the ledger is active in generation 1");
        Assert.True(await ActiveAsync(cluster, "karabakh.rollup-index", generation: 1) > 0);

        var result = await cluster.Projections.ReplayAsync("goldstein-icews@1", cancellationToken: Timeouts.Wait());

        // Released once the new feed has gone live, not at Orleans' idle collection (minutes away): wait for that,
        // with a deadline, and show the new generation's grains were not released with them.
        var wait = Timeouts.Wait();
        var retired = await ActiveAsync(cluster, "karabakh.dyad", generation: 1);
        while (retired > 0 && !wait.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
            retired = await ActiveAsync(cluster, "karabakh.dyad", generation: 1);
        }

        Assert.Equal(0, retired);
        Assert.Equal(0, await ActiveAsync(cluster, "karabakh.rollup-index", generation: 1));
        Assert.True(await ActiveAsync(cluster, "karabakh.dyad", result.Generation.Id) >= dyads, "the live generation's dyads were released too");
        var status = await cluster.Projections.GetGenerationsAsync();
        Assert.Contains(status.Retired, g => g.Id == 1);
    }

    private static async Task<int> ActiveAsync(TestProjectionCluster cluster, string grainType, int generation) =>
        (await cluster.Client.GetGrain<IManagementGrain>(0).GetActiveGrains(GrainType.Create(grainType)))
        .Count(id => ProjectionKeys.TryParseGeneration(id.Key.ToString()!, out var g) && g == generation);

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_replay_under_icews_takes_over_while_the_live_generation_keeps_answering()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.SeedCorpusAsync(ledger);
        await TestLedgers.AppendSyntheticAsync(ledger, 4000, seed: 7);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (50, 50));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        var dyad = new Dyad("RUS", "TUR");
        var gdelt = Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Get("goldstein-gdelt@1")));
        var icews = Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Get("goldstein-icews@1")));
        Assert.NotEqual(gdelt, icews);

        var reports = new ConcurrentQueue<ReplayProgress>();
        var replay = cluster.Projections.ReplayAsync("goldstein-icews@1", new SyncProgress<ReplayProgress>(reports.Enqueue), Timeouts.Wait());
        var answeredDuringReplay = 0;
        while (!replay.IsCompleted)
        {
            var answer = Json.Of(await cluster.Projections.ScoreAsync(dyad, Query, cancellationToken: Timeouts.Wait()));
            Assert.True(answer == gdelt || answer == icews, "a live answer matched neither model's direct score");
            if (answer == gdelt && !reports.IsEmpty && !reports.Last().Live)
            {
                answeredDuringReplay++;
            }
        }

        var result = await replay;
        var list = reports.ToArray();
        output.WriteLine($"replay: generation {result.Generation.Id} under {result.Generation.ModelKey} replaced {result.ReplacedGeneration} after {result.Elapsed.TotalMilliseconds:0} ms, {result.EventsDelivered} events, {result.EventsPerSecond:0} events/s; {list.Length} progress reports; {answeredDuringReplay} live answers while it ran");
        foreach (var p in list.Where((_, i) => i % Math.Max(1, list.Length / 6) == 0).Append(list[^1]))
        {
            output.WriteLine($"  {p.Position}/{p.Head} ({p.Fraction:P0}) {p.EventsPerSecond:0} events/s live={p.Live}");
        }

        Assert.True(answeredDuringReplay > 0, "no query was answered while the replay ran");
        Assert.Equal("goldstein-icews@1", result.Generation.ModelKey);
        Assert.Equal(1, result.ReplacedGeneration);
        Assert.True(list[^1].Live);
        Assert.Equal(list[^1].Head, list[^1].Position);
        Assert.True(list.Zip(list.Skip(1)).All(p => p.First.Position <= p.Second.Position), "progress went backwards");

        var generations = await cluster.Projections.GetGenerationsAsync();
        Assert.Equal(result.Generation.Id, generations.Active.Id);
        Assert.Null(generations.Pending);
        Assert.Contains(generations.Retired, g => g.Id == 1);
        Assert.Equal(icews, Json.Of(await cluster.Projections.ScoreAsync(dyad, Query, cancellationToken: Timeouts.Wait())));
        Assert.Equal(gdelt, Json.Of(await cluster.Projections.ScoreAsync(dyad, Query, "goldstein-gdelt@1", Timeouts.Wait())));

        // The new generation follows the ledger from now on; every dyad holds its stream exactly once.
        await TestLedgers.AppendSyntheticAsync(ledger, 300, seed: 8);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        foreach (var d in await TestLedgers.DyadsAsync(ledger))
        {
            var stream = await TestLedgers.ReadDyadAsync(ledger, d);
            var status = await cluster.Dyad(result.Generation.Id, d).GetStatusAsync();
            Assert.Equal(stream.Count, status.Events);
            Assert.Equal(stream.LastPosition, status.Position);
        }

        // The old generation's feed stops at its next turn (a turn already under way may finish its slice first)
        // and then follows no more.
        var oldFeed = await cluster.Feed(1).GetStatusAsync();
        for (var i = 0; i < 50 && oldFeed.Role is not (GenerationRole.Retired or GenerationRole.Unknown); i++)
        {
            await Task.Delay(100);
            oldFeed = await cluster.Feed(1).GetStatusAsync();
        }

        Assert.True(oldFeed.Role is GenerationRole.Retired or GenerationRole.Unknown, $"the old feed is still {oldFeed.Role}");
        await TestLedgers.AppendSyntheticAsync(ledger, 20, seed: 16);
        var head = (await cluster.Projections.CatchUpAsync(Timeouts.Wait())).Head;
        Assert.True(head > oldFeed.Checkpoint);

        // Asked to reach the new head, a retired feed answers as soon as it knows it is stopped, where it stood; a feed
        // that still followed would get there within the wait.
        var asked = await cluster.Feed(1).WaitForPositionAsync(head, TimeSpan.FromSeconds(20));
        Assert.Equal(oldFeed.Checkpoint, asked.Checkpoint);
        Assert.True(asked.Role is GenerationRole.Retired or GenerationRole.Unknown, $"the old feed is {asked.Role}");
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_cancelled_replay_is_abandoned_and_the_live_generation_stays()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.AppendSyntheticAsync(ledger, 1000, seed: 9);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (10, 10));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        using var cancel = new CancellationTokenSource();
        var replay = cluster.Projections.ReplayAsync("goldstein-icews", new SyncProgress<ReplayProgress>(p =>
        {
            if (p.Position > 0)
            {
                cancel.Cancel();
            }
        }), cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => replay);

        var generations = await cluster.Projections.GetGenerationsAsync();
        Assert.Equal(1, generations.Active.Id);
        Assert.Equal("goldstein-gdelt@1", generations.Active.ModelKey);
        Assert.Null(generations.Pending);
        var abandoned = Assert.Single(generations.Retired);
        Assert.Equal("goldstein-icews@1", abandoned.ModelKey);
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_replaced_generations_dyads_write_no_snapshot_when_they_deactivate()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.AppendSyntheticAsync(ledger, 600, seed: 31);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (50, 50));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var result = await cluster.Projections.ReplayAsync("goldstein-icews@1", null, Timeouts.Wait());
        var dyad = new Dyad("RUS", "TUR");
        var retired = cluster.Dyad(result.ReplacedGeneration, dyad);
        var live = cluster.Dyad(result.Generation.Id, dyad);

        await cluster.Cluster.DeactivateAsync(retired);
        await cluster.Cluster.DeactivateAsync(live);

        var retiredStatus = await retired.GetStatusAsync();
        var liveStatus = await live.GetStatusAsync();
        Assert.Equal(0, retiredStatus.SnapshotStreamVersion);
        Assert.Equal(retiredStatus.StreamVersion, retiredStatus.ReadOnActivation);
        Assert.Equal(liveStatus.StreamVersion, liveStatus.SnapshotStreamVersion);
        Assert.Equal(0, liveStatus.ReadOnActivation);
    }

    /// <summary>Reports on the caller's thread at once (<see cref="Progress{T}"/> would post to the thread pool later).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
