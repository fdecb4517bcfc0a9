using KarabakhLedger.Projections.Grains;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace KarabakhLedger.Projections.Tests.Storage;

/// <summary>The Orleans grain storage adapter: state round trip, etags, and a lost race as Orleans expects it.</summary>
public sealed class SnapshotGrainStorageTests
{
    private static readonly GrainId Feed = GrainId.Create("karabakh.ledger-feed", "1");

    [Fact]
    public async Task A_stale_activation_cannot_overwrite_a_newer_checkpoint()
    {
        await using var store = await SqliteSnapshotStore.OpenAsync(TestLedgers.NewPath(), TimeProvider.System);
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var storage = new SnapshotGrainStorage(store, new OrleansGrainStorageSerializer(serializer));

        var fresh = new GrainState<FeedState>(new FeedState());
        await storage.ReadStateAsync("feed", Feed, fresh);
        Assert.False(fresh.RecordExists);

        var first = new GrainState<FeedState>(new FeedState());
        var second = new GrainState<FeedState>(new FeedState());
        await storage.ReadStateAsync("feed", Feed, first);
        await storage.ReadStateAsync("feed", Feed, second);
        first.State!.Checkpoint = 100;
        await storage.WriteStateAsync("feed", Feed, first);
        second.State!.Checkpoint = 50;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("feed", Feed, second));

        var read = new GrainState<FeedState>(new FeedState());
        await storage.ReadStateAsync("feed", Feed, read);
        Assert.True(read.RecordExists);
        Assert.Equal(100, read.State!.Checkpoint);
        Assert.Equal(first.ETag, read.ETag);

        await storage.ClearStateAsync("feed", Feed, read);
        Assert.False(read.RecordExists);
        Assert.Null(await store.ReadAsync("feed", Feed.ToString()));
    }
}
