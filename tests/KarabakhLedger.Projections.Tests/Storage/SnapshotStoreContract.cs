using System.Text;
using KarabakhLedger.Projections.Storage;

namespace KarabakhLedger.Projections.Tests.Storage;

/// <summary>What every <see cref="ISnapshotStore"/> adapter must do, run against each real store.</summary>
public abstract class SnapshotStoreContract
{
    protected abstract Task<ISnapshotStore> OpenAsync();

    [Fact]
    public async Task Nothing_is_stored_until_written()
    {
        await using var store = await OpenAsync();
        Assert.Null(await store.ReadAsync("feed", "feed/1"));
    }

    [Fact]
    public async Task A_write_is_read_back_with_its_etag_and_each_write_moves_the_etag()
    {
        await using var store = await OpenAsync();
        var first = await store.WriteAsync("dyad", "dyad/1/RUS-TUR", Bytes("one"), null);
        var read = await store.ReadAsync("dyad", "dyad/1/RUS-TUR");
        Assert.NotNull(read);
        Assert.Equal("one", Text(read.Data));
        Assert.Equal(first, read.ETag);

        var second = await store.WriteAsync("dyad", "dyad/1/RUS-TUR", Bytes("two"), first);
        Assert.NotEqual(first, second);
        read = await store.ReadAsync("dyad", "dyad/1/RUS-TUR");
        Assert.Equal("two", Text(read!.Data));
        Assert.Equal(second, read.ETag);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_loses_and_changes_nothing()
    {
        await using var store = await OpenAsync();
        var first = await store.WriteAsync("dyad", "g", Bytes("one"), null);
        var second = await store.WriteAsync("dyad", "g", Bytes("two"), first);

        var stale = await Assert.ThrowsAsync<SnapshotConflictException>(() => store.WriteAsync("dyad", "g", Bytes("late"), first));
        Assert.Equal(second, stale.Actual);
        await Assert.ThrowsAsync<SnapshotConflictException>(() => store.WriteAsync("dyad", "g", Bytes("new"), null));
        Assert.Equal("two", Text((await store.ReadAsync("dyad", "g"))!.Data));
    }

    [Fact]
    public async Task Two_writers_from_the_same_etag_cannot_both_win()
    {
        await using var store = await OpenAsync();
        var etag = await store.WriteAsync("feed", "g", Bytes("0"), null);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await store.WriteAsync("feed", "g", Bytes($"writer {i}"), etag);
                return true;
            }
            catch (SnapshotConflictException)
            {
                return false;
            }
        }));
        Assert.Equal(1, results.Count(won => won));
    }

    [Fact]
    public async Task Clear_needs_the_current_etag_and_then_the_grain_starts_afresh()
    {
        await using var store = await OpenAsync();
        var first = await store.WriteAsync("registry", "g", Bytes("one"), null);
        var second = await store.WriteAsync("registry", "g", Bytes("two"), first);
        await Assert.ThrowsAsync<SnapshotConflictException>(() => store.ClearAsync("registry", "g", first));
        await store.ClearAsync("registry", "g", second);
        Assert.Null(await store.ReadAsync("registry", "g"));
        await store.ClearAsync("registry", "g", null);
        Assert.Equal("1", await store.WriteAsync("registry", "g", Bytes("again"), null));
    }

    [Fact]
    public async Task A_blob_written_whole_has_no_chunks()
    {
        await using var store = await OpenAsync();
        await store.WriteAsync("feed", "g", Bytes("one"), null);
        Assert.Empty((await store.ReadAsync("feed", "g"))!.Chunks);
    }

    [Fact]
    public async Task States_and_grains_are_kept_apart_and_binary_data_survives()
    {
        await using var store = await OpenAsync();
        var blob = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        await store.WriteAsync("dyad", "a", blob, null);
        await store.WriteAsync("feed", "a", Bytes("feed"), null);
        await store.WriteAsync("dyad", "b", Bytes("b"), null);
        Assert.Equal(blob, (await store.ReadAsync("dyad", "a"))!.Data);
        Assert.Equal("feed", Text((await store.ReadAsync("feed", "a"))!.Data));
        Assert.Equal("b", Text((await store.ReadAsync("dyad", "b"))!.Data));
    }

    [Fact]
    public async Task Appended_chunks_are_read_in_order_and_an_append_leaves_the_chunks_before_it_as_they_were()
    {
        await using var store = await OpenAsync();
        var etag = await store.AppendAsync("dyad", "g", Bytes("head 1"), 0, Bytes("chunk 0"), null);
        etag = await store.AppendAsync("dyad", "g", Bytes("head 2"), 1, Bytes("chunk 1"), etag);
        var first = await store.ReadAsync("dyad", "g");
        etag = await store.AppendAsync("dyad", "g", Bytes("head 3"), 2, Bytes("chunk 2"), etag);

        var read = await store.ReadAsync("dyad", "g");
        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal("head 3", Text(read.Data));
        Assert.Equal(["chunk 0", "chunk 1", "chunk 2"], read.Chunks.Select(Text));
        Assert.Equal(first!.Chunks, read.Chunks.Take(2));
    }

    [Fact]
    public async Task An_append_with_a_stale_etag_or_past_the_last_chunk_loses_and_changes_nothing()
    {
        await using var store = await OpenAsync();
        var first = await store.AppendAsync("dyad", "g", Bytes("head 1"), 0, Bytes("chunk 0"), null);
        var second = await store.AppendAsync("dyad", "g", Bytes("head 2"), 1, Bytes("chunk 1"), first);

        var stale = await Assert.ThrowsAsync<SnapshotConflictException>(() => store.AppendAsync("dyad", "g", Bytes("late"), 1, Bytes("late"), first));
        Assert.Equal(second, stale.Actual);
        await Assert.ThrowsAsync<SnapshotConflictException>(() => store.AppendAsync("dyad", "g", Bytes("new"), 0, Bytes("new"), null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync("dyad", "g", Bytes("hole"), 3, Bytes("hole"), second));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync("dyad", "h", Bytes("hole"), 1, Bytes("hole"), null));

        var read = (await store.ReadAsync("dyad", "g"))!;
        Assert.Equal((second, "head 2"), (read.ETag, Text(read.Data)));
        Assert.Equal(["chunk 0", "chunk 1"], read.Chunks.Select(Text));
        Assert.Null(await store.ReadAsync("dyad", "h"));
    }

    [Fact]
    public async Task Two_appenders_from_the_same_etag_cannot_both_win()
    {
        await using var store = await OpenAsync();
        var etag = await store.AppendAsync("dyad", "g", Bytes("head"), 0, Bytes("chunk 0"), null);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await store.AppendAsync("dyad", "g", Bytes($"head of {i}"), 1, Bytes($"chunk of {i}"), etag);
                return (Won: true, Writer: i);
            }
            catch (SnapshotConflictException)
            {
                return (Won: false, Writer: i);
            }
        }));
        var winner = Assert.Single(results, r => r.Won).Writer;
        var read = (await store.ReadAsync("dyad", "g"))!;
        Assert.Equal($"head of {winner}", Text(read.Data));
        Assert.Equal(["chunk 0", $"chunk of {winner}"], read.Chunks.Select(Text));
    }

    [Fact]
    public async Task Chunk_0_a_whole_write_and_a_clear_each_drop_the_chunks_there_were()
    {
        await using var store = await OpenAsync();
        var etag = await store.AppendAsync("dyad", "g", Bytes("head"), 0, Bytes("chunk 0"), null);
        etag = await store.AppendAsync("dyad", "g", Bytes("head"), 1, Bytes("chunk 1"), etag);
        etag = await store.AppendAsync("dyad", "g", Bytes("afresh"), 0, Bytes("new chunk 0"), etag);
        Assert.Equal(["new chunk 0"], (await store.ReadAsync("dyad", "g"))!.Chunks.Select(Text));

        etag = await store.WriteAsync("dyad", "g", Bytes("whole"), etag);
        var read = (await store.ReadAsync("dyad", "g"))!;
        Assert.Equal(("whole", 0), (Text(read.Data), read.Chunks.Count));

        etag = await store.AppendAsync("dyad", "g", Bytes("head"), 0, Bytes("chunk 0"), etag);
        await store.ClearAsync("dyad", "g", etag);
        Assert.Null(await store.ReadAsync("dyad", "g"));
        await store.AppendAsync("dyad", "g", Bytes("again"), 0, Bytes("chunk again"), null);
        Assert.Equal(["chunk again"], (await store.ReadAsync("dyad", "g"))!.Chunks.Select(Text));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] data) => Encoding.UTF8.GetString(data);
}
