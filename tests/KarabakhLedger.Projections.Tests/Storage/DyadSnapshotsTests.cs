using System.Text;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Grains;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace KarabakhLedger.Projections.Tests.Storage;

/// <summary>
/// Dyad snapshots as chunks (ADR 28): the binary format and its version, the upcast of a whole-stream snapshot
/// written as before, refusal of anything that is not a contiguous stream prefix, and conflicting writers.
/// </summary>
public sealed class DyadSnapshotsTests
{
    private static readonly GrainId Grain = GrainId.Create("karabakh.dyad", "1/RUS-TUR");

    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(DyadSnapshot).Assembly).AddAssembly(typeof(LedgerEventMessage).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>());

    [Fact]
    public void A_chunk_keeps_every_field_and_the_stored_json_as_utf8_bytes()
    {
        var events = Events(1, 3);
        var chunk = DyadSnapshotFormat.EncodeChunk(events);
        Assert.Equal(events, DyadSnapshotFormat.DecodeChunk(chunk));
        Assert.Equal(Encoding.ASCII.GetBytes("KLDC"), chunk[..4]);
        Assert.Equal(DyadSnapshotFormat.Version, chunk[4]);
        Assert.True(chunk.AsSpan().IndexOf(Encoding.UTF8.GetBytes(events[2].Data)) > 0);
        Assert.True(chunk.AsSpan().IndexOf(Encoding.Unicode.GetBytes(events[2].Data)) < 0, "UTF-8, not UTF-16");
    }

    [Fact]
    public void A_record_of_an_unknown_format_version_or_cut_short_is_refused()
    {
        var chunk = DyadSnapshotFormat.EncodeChunk(Events(1, 2));
        var newer = (byte[])chunk.Clone();
        newer[4] = DyadSnapshotFormat.Version + 1;
        Assert.Contains("version 2", Assert.Throws<FormatException>(() => DyadSnapshotFormat.DecodeChunk(newer)).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => DyadSnapshotFormat.DecodeChunk(chunk[..^3]));
        Assert.Throws<FormatException>(() => DyadSnapshotFormat.DecodeHead(chunk));
    }

    [Fact]
    public async Task A_whole_stream_snapshot_written_as_before_is_upcast_and_the_first_save_replaces_it_by_chunk_0()
    {
        await using var store = await SqliteSnapshotStore.OpenAsync(TestLedgers.NewPath(), TimeProvider.System);
        var old = Events(1, 5);
        var storage = new SnapshotGrainStorage(store, Serializer);
        await storage.WriteStateAsync(DyadSnapshots.StateName, Grain, new GrainState<DyadSnapshot>(new DyadSnapshot { Events = [.. old] }));
        Assert.False(DyadSnapshotFormat.IsHead((await store.ReadAsync(DyadSnapshots.StateName, Grain.ToString()))!.Data));

        var snapshots = new DyadSnapshots(store, Serializer);
        var read = await snapshots.ReadAsync(Grain.ToString());
        Assert.Null(read.Problem);
        Assert.Equal(old, read.Events);
        Assert.Equal((0, 0L), (read.Chunks, read.SavedVersion));

        var all = Events(1, 7);
        await snapshots.AppendAsync(Grain.ToString(), read.ETag, read.Chunks, all);
        var upcast = await snapshots.ReadAsync(Grain.ToString());
        Assert.Equal(all, upcast.Events);
        Assert.Equal((1, 7L), (upcast.Chunks, upcast.SavedVersion));
    }

    [Fact]
    public async Task Chunks_that_are_not_a_contiguous_stream_prefix_are_refused_and_the_next_save_starts_afresh()
    {
        await using var store = await SqliteSnapshotStore.OpenAsync(TestLedgers.NewPath(), TimeProvider.System);
        var snapshots = new DyadSnapshots(store, Serializer);
        var etag = await snapshots.AppendAsync(Grain.ToString(), null, 0, Events(1, 3));
        etag = await snapshots.AppendAsync(Grain.ToString(), etag, 1, Events(5, 6));

        var read = await snapshots.ReadAsync(Grain.ToString());
        Assert.Empty(read.Events);
        Assert.Contains("chunk 1 does not continue the stream at version 4", read.Problem, StringComparison.Ordinal);
        Assert.Equal((etag, 0, 0L), (read.ETag, read.Chunks, read.SavedVersion));

        await snapshots.AppendAsync(Grain.ToString(), read.ETag, read.Chunks, Events(1, 6));
        Assert.Equal(Events(1, 6), (await snapshots.ReadAsync(Grain.ToString())).Events);

        var legacy = new SnapshotGrainStorage(store, Serializer);
        await store.ClearAsync(DyadSnapshots.StateName, Grain.ToString(), (await store.ReadAsync(DyadSnapshots.StateName, Grain.ToString()))!.ETag);
        await legacy.WriteStateAsync(DyadSnapshots.StateName, Grain, new GrainState<DyadSnapshot>(new DyadSnapshot { Events = [.. Events(2, 4)] }));
        Assert.Contains("not a contiguous stream prefix", (await snapshots.ReadAsync(Grain.ToString())).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_two_activations_saving_from_the_same_read_only_the_first_writes()
    {
        await using var store = await SqliteSnapshotStore.OpenAsync(TestLedgers.NewPath(), TimeProvider.System);
        var snapshots = new DyadSnapshots(store, Serializer);
        await snapshots.AppendAsync(Grain.ToString(), null, 0, Events(1, 3));
        var first = await snapshots.ReadAsync(Grain.ToString());
        var second = await snapshots.ReadAsync(Grain.ToString());

        await snapshots.AppendAsync(Grain.ToString(), first.ETag, first.Chunks, Events(4, 5));
        await Assert.ThrowsAsync<SnapshotConflictException>(() => snapshots.AppendAsync(Grain.ToString(), second.ETag, second.Chunks, Events(4, 6)));
        Assert.Equal(Events(1, 5), (await snapshots.ReadAsync(Grain.ToString())).Events);
    }

    /// <summary>Stream versions <paramref name="from"/> to <paramref name="to"/>, with JSON outside ASCII and recording times at several offsets.</summary>
    private static LedgerEventMessage[] Events(long from, long to) =>
    [
        .. Enumerable.Range((int)from, (int)(to - from + 1)).Select(v => new LedgerEventMessage(
            100 + (v * 7), v, new Guid(v, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), "talks-held", 1 + (v % 2),
            $$"""{"summary":"Görüşme {{v}} — переговоры","goldstein":1.50}""",
            new DateTimeOffset(2025, 2, 3, 4, 5, 6, TimeSpan.FromMinutes(v * 30)).AddTicks(v), new string((char)('a' + v), 64))),
    ];
}
