using System.Collections.Immutable;
using System.Diagnostics;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Feed;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using Xunit.Abstractions;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>The live feed on a two-silo cluster over a SQLite ledger: correctness, failover and durability.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FeedTests(ITestOutputHelper output)
{
    internal static readonly ScoreQuery Query = new(new DateOnly(2025, 6, 30), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Seed_corpus_scores_from_the_grains_equal_scoring_the_store_directly()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => o.PollInterval = TimeSpan.FromMinutes(10));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var appended = await TestLedgers.SeedCorpusAsync(ledger);

        var watch = Stopwatch.StartNew();
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        output.WriteLine($"seed corpus: {appended} events in {(await TestLedgers.DyadsAsync(ledger)).Count} dyads delivered in {watch.Elapsed.TotalMilliseconds:0} ms ({appended / watch.Elapsed.TotalSeconds:0} events/s, dyad activations included)");
        Assert.Equal(await TestLedgers.HeadAsync(ledger), caughtUp.Head);

        var dyads = await TestLedgers.DyadsAsync(ledger);
        Assert.Contains(new Dyad("RUS", "TUR"), dyads);
        foreach (var dyad in dyads)
        {
            var expected = await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Default);
            var actual = await cluster.Projections.ScoreAsync(dyad, Query, cancellationToken: Timeouts.Wait());
            Assert.Equal(Json.Of(expected), Json.Of(actual));
        }

        var rusTur = new Dyad("RUS", "TUR");
        var timeline = await cluster.Projections.TimelineAsync(rusTur, new DateOnly(2015, 1, 1), new DateOnly(2021, 12, 31), Bucket.Year, Query, "goldstein-icews@1");
        var expectedTimeline = await TestLedgers.ExpectedTimelineAsync(ledger, rusTur, new DateOnly(2015, 1, 1), new DateOnly(2021, 12, 31), Bucket.Year, Query, ModelCatalog.Bundled.Get("goldstein-icews@1"));
        Assert.Equal(Json.Of(expectedTimeline), Json.Of(timeline));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Killing_the_feeds_silo_mid_feed_skips_nothing_counts_nothing_twice_and_the_feed_goes_on_on_the_survivor()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.SeedCorpusAsync(ledger);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (25, 25));
        var feed = cluster.Feed(1);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        // Thousands of appends while the feed runs; the feed's silo dies in the middle of them.
        var appending = Task.Run(() => TestLedgers.AppendSyntheticAsync(ledger, 4000, seed: 1, perAppend: 10));
        FeedStatus status;
        do
        {
            await cluster.Projections.PokeAsync();
            status = await feed.WaitForPositionAsync(1500, TimeSpan.FromSeconds(5)).WaitAsync(Timeouts.Wait());
        }
        while (status.Checkpoint < 1500);

        var doomed = cluster.SiloOf(status.Silo);
        await cluster.Cluster.KillSiloAsync(doomed);
        output.WriteLine($"killed {doomed.SiloAddress} (the feed's) at checkpoint {status.Checkpoint}; appends done: {appending.IsCompleted}");
        var killed = Stopwatch.StartNew();
        await appending.WaitAsync(Timeouts.Wait());
        Assert.True(status.Checkpoint < await TestLedgers.HeadAsync(ledger), "the kill came after the feed had finished");

        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        output.WriteLine($"caught up with {caughtUp.Head} {killed.ElapsedMilliseconds} ms after the kill");
        Assert.Equal(await TestLedgers.HeadAsync(ledger), caughtUp.Head);
        status = await feed.GetStatusAsync();
        var survivor = Assert.Single(cluster.Cluster.GetActiveSilos());
        Assert.NotEqual(doomed.SiloAddress, survivor.SiloAddress);
        Assert.Equal(survivor.SiloAddress, cluster.SiloOf(status.Silo).SiloAddress);
        output.WriteLine($"feed now on {status.Silo}: checkpoint {status.Checkpoint}, delivered {status.EventsDelivered} (delivered again after the kill: {status.EventsDelivered - status.Checkpoint})");

        foreach (var dyad in await TestLedgers.DyadsAsync(ledger))
        {
            var events = await TestLedgers.ReadDyadAsync(ledger, dyad);
            var dyadStatus = await cluster.Dyad(1, dyad).GetStatusAsync();
            Assert.Equal(events.Count, dyadStatus.Events);
            Assert.Equal(events.LastPosition, dyadStatus.Position);
            Assert.Equal(events.Count, dyadStatus.StreamVersion);
            var expected = await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Default);
            var actual = await cluster.Projections.ScoreAsync(dyad, Query, cancellationToken: Timeouts.Wait());
            Assert.Equal(Json.Of(expected), Json.Of(actual));
            if (TestLedgers.SyntheticDyads.Contains(dyad))
            {
                output.WriteLine($"{dyad}: {dyadStatus.Events} events on {dyadStatus.Silo}, read {dyadStatus.ReadOnActivation} from its stream on activation, snapshot at {dyadStatus.SnapshotStreamVersion}");
            }
        }
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_deactivated_dyad_comes_back_from_its_snapshot_and_a_deactivated_feed_from_its_checkpoint()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.AppendSyntheticAsync(ledger, 600, seed: 3);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var dyad = new Dyad("RUS", "TUR");
        var grain = cluster.Dyad(1, dyad);
        var before = await grain.GetStatusAsync();
        var expected = Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Default));

        await cluster.Cluster.DeactivateAsync(grain);
        var after = await grain.GetStatusAsync();
        output.WriteLine($"before: {before}");
        output.WriteLine($"after:  {after}");
        Assert.Equal(before.Events, after.Events);
        Assert.Equal(before.Position, after.Position);
        Assert.Equal(after.StreamVersion, after.SnapshotStreamVersion);
        Assert.Equal(0, after.ReadOnActivation);
        Assert.Equal(expected, Json.Of(await cluster.Projections.ScoreAsync(dyad, Query, cancellationToken: Timeouts.Wait())));

        // The feed too: deactivated, it resumes at its checkpoint rather than at position 0.
        var feed = cluster.Feed(1);
        var delivered = (await feed.GetStatusAsync()).EventsDelivered;
        await cluster.Cluster.DeactivateAsync(feed);
        await TestLedgers.AppendSyntheticAsync(ledger, 50, seed: 4);
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var status = await feed.GetStatusAsync();
        Assert.Equal(caughtUp.Head, status.Checkpoint);
        Assert.Equal(delivered + 50, status.EventsDelivered);
        var again = await grain.GetStatusAsync();
        Assert.Equal((await TestLedgers.ReadDyadAsync(ledger, dyad)).Count, again.Events);
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_poke_makes_the_feed_pick_up_a_fresh_append_long_before_its_next_tick()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.SeedCorpusAsync(ledger);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => o.PollInterval = TimeSpan.FromMinutes(10));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        await TestLedgers.AppendSyntheticAsync(ledger, 5, seed: 5);
        var watch = Stopwatch.StartNew();
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        output.WriteLine($"picked up 5 fresh events in {watch.Elapsed.TotalMilliseconds:0} ms with a 10-minute poll interval");
        Assert.Equal(await TestLedgers.HeadAsync(ledger), caughtUp.Head);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Feed_throughput_on_synthetic_events()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => o.PollInterval = TimeSpan.FromMinutes(10));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        await TestLedgers.AppendSyntheticAsync(ledger, 10_000, seed: 6, perAppend: 500);

        var watch = Stopwatch.StartNew();
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var elapsed = watch.Elapsed;
        var status = await cluster.Feed(1).GetStatusAsync();
        output.WriteLine($"10000 synthetic events in 8 dyads delivered in {elapsed.TotalMilliseconds:0} ms: {10_000 / elapsed.TotalSeconds:0} events/s end to end ({status.EventsPerSecond:0} events/s by the feed's own clock)");
        Assert.Equal(await TestLedgers.HeadAsync(ledger), caughtUp.Head);
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            Assert.Equal((await TestLedgers.ReadDyadAsync(ledger, dyad)).Count, (await cluster.Dyad(1, dyad).GetStatusAsync()).Events);
        }

        var replay = await cluster.Projections.ReplayAsync("goldstein-gdelt@1", cancellationToken: Timeouts.Wait());
        output.WriteLine($"replay of the same 10000 events into generation {replay.Generation.Id}: {replay.Elapsed.TotalMilliseconds:0} ms, {replay.EventsPerSecond:0} events/s");
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            Assert.Equal((await TestLedgers.ReadDyadAsync(ledger, dyad)).Count, (await cluster.Dyad(replay.Generation.Id, dyad).GetStatusAsync()).Events);
        }
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Other_streams_are_passed_over_and_an_event_no_dyad_can_read_stops_the_feed_loudly()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.SeedCorpusAsync(ledger);
        await ledger.AppendAsync([new StreamAppend("notes-2026", ExpectedVersion.Any, [new EventToAppend(Guid.NewGuid(), "note", 1, """{"text":"not a dyad"}""")])]);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => o.StallTimeout = TimeSpan.FromSeconds(1));
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        Assert.Equal(await TestLedgers.HeadAsync(ledger), caughtUp.Head);

        await ledger.AppendAsync([new StreamAppend("dyad-RUS-TUR", ExpectedVersion.Any, [new EventToAppend(Guid.NewGuid(), "from-a-newer-ledger", 1, "{}")])]);
        var watch = Stopwatch.StartNew();
        var stalled = await Assert.ThrowsAsync<Hosting.ProjectionFeedStalledException>(() => cluster.Projections.CatchUpAsync(Timeouts.Wait()));
        output.WriteLine($"{stalled.Message} (after {watch.ElapsedMilliseconds} ms)");
        Assert.Equal(caughtUp.Head, stalled.Status.Checkpoint);
        Assert.Contains("from-a-newer-ledger", stalled.Status.LastError, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_dyad_applies_each_event_once_however_often_it_comes_and_fills_a_hole_from_its_stream()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.AppendSyntheticAsync(ledger, 300, seed: 17);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => o.PollInterval = TimeSpan.FromMinutes(10));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var dyad = new Dyad("RUS", "TUR");
        var grain = cluster.Dyad(1, dyad);
        var stored = new List<StoredEvent>();
        await foreach (var e in ledger.ReadStreamAsync(dyad.StreamId))
        {
            stored.Add(e);
        }

        // Delivered again, twice over and out of order: nothing changes.
        var again = stored.Concat(stored.AsEnumerable().Reverse()).Select(LedgerEvents.ToMessage).ToImmutableArray();
        Assert.Equal(stored[^1].Position, await grain.ApplyAsync(again, catchingUp: false));
        Assert.Equal(stored.Count, (await grain.GetStatusAsync()).Events);

        // Three new events, of which only the last is delivered: the grain reads the two before it from its stream.
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var template = stored.First(e => e.Type == "talks-held");
        await ledger.AppendAsync([new StreamAppend(dyad.StreamId, ExpectedVersion.Any, [.. ids.Select(id => new EventToAppend(id, template.Type, 1,
            template.Data.Replace(template.EventId.ToString(), id.ToString(), StringComparison.Ordinal)))])]);
        var last = await ledger.FindEventAsync(ids[2]);
        Assert.Equal(last!.Position, await grain.ApplyAsync([last.ToMessage()], catchingUp: false));
        var status = await grain.GetStatusAsync();
        Assert.Equal(stored.Count + 3, status.Events);
        Assert.Equal(stored.Count + 3, status.StreamVersion);
        Assert.Equal(
            Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Default)),
            Json.Of(await grain.ScoreAsync(Query, ModelCatalog.DefaultKey)));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Catching_up_reads_no_dyad_stream_and_writes_no_snapshot_until_a_delivery_at_the_head()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.AppendSyntheticAsync(ledger, 1500, seed: 23);
        await using var cluster = await TestProjectionCluster.StartAsync(
            ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize, o.SnapshotMinEvents, o.SnapshotGrowth) = (100, 400, 1, 0));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        var caughtUp = await Task.WhenAll(TestLedgers.SyntheticDyads.Select(d => cluster.Dyad(1, d).GetStatusAsync()));
        Assert.All(caughtUp, s => Assert.Equal((0, 0L), (s.ReadOnActivation, s.SnapshotStreamVersion)));
        Assert.Equal(1500, caughtUp.Sum(s => s.Events));

        await TestLedgers.AppendSyntheticAsync(ledger, 30, seed: 24);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        var atHead = await Task.WhenAll(TestLedgers.SyntheticDyads.Select(d => cluster.Dyad(1, d).GetStatusAsync()));
        var delivered = atHead.Where((s, i) => s.StreamVersion > caughtUp[i].StreamVersion).ToArray();
        Assert.NotEmpty(delivered);
        Assert.All(delivered, s => Assert.Equal(s.StreamVersion, s.SnapshotStreamVersion));
        Assert.All(atHead, s => Assert.Equal(0, s.ReadOnActivation));
    }
}
