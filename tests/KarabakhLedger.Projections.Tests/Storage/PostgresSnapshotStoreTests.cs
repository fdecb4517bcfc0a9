using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Projections.Tests.Storage;

/// <summary>The contract on PostgreSQL, each test in a scratch schema the store creates on first use.</summary>
public sealed class PostgresSnapshotStoreTests : SnapshotStoreContract, IAsyncLifetime
{
    private readonly List<ScratchSchema> _schemas = [];

    protected override async Task<ISnapshotStore> OpenAsync()
    {
        var server = await PostgresServer.GetAsync();
        var schema = server.NewSchema();
        _schemas.Add(schema);
        return await PostgresSnapshotStore.OpenAsync(server.ConnectionString, TimeProvider.System, schema.Name);
    }

    [Fact]
    public async Task Opening_twice_at_once_creates_the_schema_once()
    {
        var server = await PostgresServer.GetAsync();
        var schema = server.NewSchema();
        _schemas.Add(schema);
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresSnapshotStore.OpenAsync(server.ConnectionString, TimeProvider.System, schema.Name)));
        await stores[0].WriteAsync("feed", "g", new byte[] { 7 }, null);
        Assert.Equal(new byte[] { 7 }, (await stores[3].ReadAsync("feed", "g"))!.Data);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bad_schema_name_is_refused_before_any_sql()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresSnapshotStore.OpenAsync("Host=127.0.0.1", TimeProvider.System, "x; DROP TABLE y"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await schema.DisposeAsync();
        }
    }
}
