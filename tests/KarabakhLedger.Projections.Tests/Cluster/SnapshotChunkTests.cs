using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Feed;
using KarabakhLedger.Projections.Grains;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Xunit.Abstractions;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>
/// Dyad snapshots that grow by their tail (ADR 28), in real clusters: each save writes only the events after the
/// last saved version, a restart restores the chunks to the pure fold's scores, a snapshot stored in the format
/// before ADR 28 is read and then grown, and a grain that lost a race to another writer steps aside.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotChunkTests(ITestOutputHelper output)
{
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(DyadSnapshot).Assembly).AddAssembly(typeof(LedgerEventMessage).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>());

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Each_save_appends_only_the_new_tail_and_a_restart_restores_the_chunks_to_the_pure_fold()
    {
        var (ledger, inner) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = inner;
        var snapshots = new RecordingSnapshotStore(inner);
        await TestLedgers.AppendSyntheticAsync(ledger, 400, seed: 31);
        var cluster = await TestProjectionCluster.StartAsync(
            ledger, snapshots, configure: o => (o.PollInterval, o.SnapshotMinEvents, o.SnapshotGrowth) = (TimeSpan.FromMinutes(10), 1, 0));
        Dictionary<Dyad, IReadOnlyList<byte[]>> before;
        try
        {
            await cluster.Projections.CatchUpAsync(Timeouts.Wait());
            before = await ChunksAsync(inner);
            for (var round = 1; round <= 3; round++)
            {
                await TestLedgers.AppendSyntheticAsync(ledger, 40, seed: 31 + round);
                await cluster.Projections.CatchUpAsync(Timeouts.Wait());
                var after = await ChunksAsync(inner);
                foreach (var dyad in TestLedgers.SyntheticDyads)
                {
                    var status = await cluster.Dyad(1, dyad).GetStatusAsync();
                    Assert.Equal(status.StreamVersion, status.SnapshotStreamVersion);
                    Assert.True(after[dyad].Count > before[dyad].Count, $"{dyad} saved in round {round}");
                    Assert.Equal(before[dyad], after[dyad].Take(before[dyad].Count));
                    var saved = before[dyad].Sum(c => DyadSnapshotFormat.DecodeChunk(c).Count);
                    var added = after[dyad].Skip(before[dyad].Count).SelectMany(DyadSnapshotFormat.DecodeChunk).ToArray();
                    Assert.Equal(await StreamAsync(ledger, dyad, saved + 1, status.StreamVersion), added);
                }

                before = after;
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        // Only tails reached the store: no dyad state was written whole, each chunk was written once and is stored.
        var dyadWrites = snapshots.Writes.Where(w => w.StateName == DyadSnapshots.StateName).ToArray();
        Assert.DoesNotContain(dyadWrites, w => w.Chunk is null);
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            var written = dyadWrites.Where(w => w.GrainId == GrainOf(dyad)).ToArray();
            Assert.Equal(Enumerable.Range(0, written.Length), written.Select(w => w.Chunk!.Value));
            Assert.Equal(before[dyad], written.Select(w => w.Data));
            output.WriteLine($"{dyad}: {written.Length} chunks, {written.Sum(w => w.Data.Length)} bytes of chunks, {written.Sum(w => w.HeadBytes)} bytes of heads");
        }

        await using var restarted = await TestProjectionCluster.StartAsync(ledger, inner);
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            Assert.Equal(
                Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, FeedTests.Query, ModelCatalog.Bundled.Default)),
                Json.Of(await restarted.Dyad(1, dyad).ScoreAsync(FeedTests.Query, ModelCatalog.DefaultKey)));
            var status = await restarted.Dyad(1, dyad).GetStatusAsync();
            Assert.Equal((0, status.StreamVersion), (status.ReadOnActivation, status.SnapshotStreamVersion));
            Assert.Equal((await TestLedgers.ReadDyadAsync(ledger, dyad)).Count, status.Events);
        }
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_snapshot_stored_as_before_chunks_is_read_by_the_grain_and_without_a_silo_and_then_grows_by_its_tail()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.AppendSyntheticAsync(ledger, 300, seed: 41);
        await using (var first = await InProcessLedgerCluster.StartAsync(ledger, snapshots, cancellationToken: Timeouts.Wait()))
        {
            await first.CatchUpAsync(Timeouts.Wait());
        }

        // RUS-TUR's snapshot as the code before ADR 28 wrote it (Orleans grain storage, whole stream), 10 events short.
        var dyad = new Dyad("RUS", "TUR");
        var stream = await StreamAsync(ledger, dyad, 1, long.MaxValue);
        var grain = GrainId.Parse(GrainOf(dyad));
        await snapshots.ClearAsync(DyadSnapshots.StateName, grain.ToString(), (await snapshots.ReadAsync(DyadSnapshots.StateName, grain.ToString()))!.ETag);
        await new SnapshotGrainStorage(snapshots, Serializer).WriteStateAsync(
            DyadSnapshots.StateName, grain, new GrainState<DyadSnapshot>(new DyadSnapshot { Events = [.. stream.Take(stream.Count - 10)] }));
        Assert.False(DyadSnapshotFormat.IsHead((await snapshots.ReadAsync(DyadSnapshots.StateName, grain.ToString()))!.Data));

        var expected = Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, FeedTests.Query, ModelCatalog.Bundled.Default));
        Assert.Equal(expected, Json.Of(await (await PersistedAsync(ledger, snapshots)).ScoreAsync(dyad, FeedTests.Query)));

        await using (var second = await InProcessLedgerCluster.StartAsync(ledger, snapshots, cancellationToken: Timeouts.Wait()))
        {
            await second.CatchUpAsync(Timeouts.Wait());
            Assert.Equal(expected, Json.Of(await second.ScoreAsync(dyad, FeedTests.Query, cancellationToken: Timeouts.Wait())));
            var status = await second.Grains.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(1, dyad)).GetStatusAsync();
            Assert.Equal((stream.Count, stream.Count, 10), (status.Events, (int)status.StreamVersion, status.ReadOnActivation));
        }

        // Saved on deactivation in the chunked form: the whole stream as chunk 0, once.
        var upcast = (await snapshots.ReadAsync(DyadSnapshots.StateName, grain.ToString()))!;
        Assert.True(DyadSnapshotFormat.IsHead(upcast.Data));
        Assert.Equal(stream, Assert.Single(upcast.Chunks) is var chunk0 ? DyadSnapshotFormat.DecodeChunk(chunk0) : []);

        await TestLedgers.AppendSyntheticAsync(ledger, 60, seed: 42);
        var grown = await StreamAsync(ledger, dyad, 1, long.MaxValue);
        Assert.True(grown.Count > stream.Count);
        await using (var third = await InProcessLedgerCluster.StartAsync(ledger, snapshots, cancellationToken: Timeouts.Wait()))
        {
            await third.CatchUpAsync(Timeouts.Wait());
            var status = await third.Grains.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(1, dyad)).GetStatusAsync();
            Assert.Equal(grown.Count, status.Events);
        }

        var tailed = (await snapshots.ReadAsync(DyadSnapshots.StateName, grain.ToString()))!;
        Assert.Equal(2, tailed.Chunks.Count);
        Assert.Equal(chunk0, tailed.Chunks[0]);
        Assert.Equal(grown.Skip(stream.Count), DyadSnapshotFormat.DecodeChunk(tailed.Chunks[1]));
        Assert.Equal(
            Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, FeedTests.Query, ModelCatalog.Bundled.Default)),
            Json.Of(await (await PersistedAsync(ledger, snapshots)).ScoreAsync(dyad, FeedTests.Query)));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_grain_whose_snapshot_another_activation_wrote_writes_nothing_over_it_and_comes_back_from_it()
    {
        var (ledger, inner) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = inner;
        var snapshots = new RecordingSnapshotStore(inner);
        await TestLedgers.AppendSyntheticAsync(ledger, 200, seed: 51);
        await using var cluster = await TestProjectionCluster.StartAsync(
            ledger, snapshots, configure: o => (o.PollInterval, o.SnapshotMinEvents, o.SnapshotGrowth) = (TimeSpan.FromMinutes(10), 1, 0));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        await TestLedgers.AppendSyntheticAsync(ledger, 16, seed: 52);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var dyad = new Dyad("RUS", "TUR");
        var grain = cluster.Dyad(1, dyad);
        var saved = await grain.GetStatusAsync();
        Assert.Equal(saved.StreamVersion, saved.SnapshotStreamVersion);

        // Another activation of the same grain (as while a silo is being declared dead) writes the snapshot afresh.
        var other = new DyadSnapshots(inner, Serializer);
        var read = await other.ReadAsync(GrainOf(dyad));
        await other.AppendAsync(GrainOf(dyad), read.ETag, 0, read.Events);
        var written = (await inner.ReadAsync(DyadSnapshots.StateName, GrainOf(dyad)))!;
        Assert.Empty(snapshots.Conflicts);

        // The grain's next save finds the other etag: it is refused, the grain deactivates, and the activation after
        // it (asked next by the feed, for the batch's changes) starts from the other writer's snapshot.
        await TestLedgers.AppendSyntheticAsync(ledger, 40, seed: 53);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        Assert.Contains(snapshots.Conflicts, c => c.GrainId == GrainOf(dyad));
        var stream = await StreamAsync(ledger, dyad, 1, long.MaxValue);
        Assert.True(stream.Count > saved.StreamVersion);
        var again = await grain.GetStatusAsync();
        output.WriteLine($"before: {saved}; after: {again}");
        Assert.Equal((stream.Count, (int)(stream.Count - saved.StreamVersion)), (again.Events, again.ReadOnActivation));
        Assert.Equal(
            Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, dyad, FeedTests.Query, ModelCatalog.Bundled.Default)),
            Json.Of(await grain.ScoreAsync(FeedTests.Query, ModelCatalog.DefaultKey)));
        var grown = (await inner.ReadAsync(DyadSnapshots.StateName, GrainOf(dyad)))!;
        Assert.Equal(written.Chunks[0], grown.Chunks[0]);
        Assert.Equal(stream, grown.Chunks.SelectMany(DyadSnapshotFormat.DecodeChunk));
    }

    private static string GrainOf(Dyad dyad) => GrainId.Create("karabakh.dyad", ProjectionKeys.Dyad(1, dyad)).ToString();

    private static async Task<Dictionary<Dyad, IReadOnlyList<byte[]>>> ChunksAsync(ISnapshotStore store)
    {
        var chunks = new Dictionary<Dyad, IReadOnlyList<byte[]>>();
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            chunks[dyad] = (await store.ReadAsync(DyadSnapshots.StateName, GrainOf(dyad)))?.Chunks ?? [];
        }

        return chunks;
    }

    private static async Task<List<LedgerEventMessage>> StreamAsync(ILedgerStore ledger, Dyad dyad, long from, long to)
    {
        var events = new List<LedgerEventMessage>();
        await foreach (var e in ledger.ReadStreamAsync(dyad.StreamId, from))
        {
            if (e.StreamVersion <= to)
            {
                events.Add(e.ToMessage());
            }
        }

        return events;
    }

    private static async Task<PersistedProjections> PersistedAsync(ILedgerStore ledger, ISnapshotStore snapshots)
    {
        var (projections, behind) = await PersistedProjections.OpenIfCurrentAsync(ledger, snapshots);
        Assert.True(projections is not null, behind);
        return projections;
    }
}
