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

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] data) => Encoding.UTF8.GetString(data);
}
