using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;

namespace KarabakhLedger.Projections.Tests.Storage;

public sealed class SqliteSnapshotStoreTests : SnapshotStoreContract
{
    protected override async Task<ISnapshotStore> OpenAsync() => await SqliteSnapshotStore.OpenAsync(TestLedgers.NewPath(), TimeProvider.System);

    [Fact]
    public void The_projection_store_lives_beside_the_ledger_file()
    {
        Assert.Equal(Path.GetFullPath("/data/ledgers/ledger.projections.db"), SqliteSnapshotStore.PathBesideLedger("/data/ledgers/ledger.db"));
    }

    [Fact]
    public async Task What_is_written_survives_reopening_the_file()
    {
        var path = TestLedgers.NewPath();
        string etag;
        await using (var store = await SqliteSnapshotStore.OpenAsync(path, TimeProvider.System))
        {
            etag = await store.WriteAsync("feed", "feed/1", new byte[] { 1, 2, 3 }, null);
        }

        await using var reopened = await SqliteSnapshotStore.OpenAsync(path, TimeProvider.System);
        var read = await reopened.ReadAsync("feed", "feed/1");
        Assert.Equal(new byte[] { 1, 2, 3 }, read!.Data);
        Assert.Equal(etag, read.ETag);
    }
}
