using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Ledger.Marten.Tests;

/// <summary>A Marten ledger in a fresh schema of the test server; disposing it drops the schema.</summary>
internal sealed class ScratchLedgerStore(MartenLedgerStore store, ScratchSchema schema) : ILedgerStore
{
    /// <summary>The store under test, for its test hooks.</summary>
    public MartenLedgerStore Store { get; } = store;

    public string Description => Store.Description;

    /// <param name="clock">the store's clock.</param>
    /// <param name="bulkThreshold">the smallest append that goes by COPY (1: every append without a precondition; <see cref="int.MaxValue"/>: none); the store's default when null.</param>
    public static async Task<ScratchLedgerStore> OpenAsync(TimeProvider clock, int? bulkThreshold = null)
    {
        var server = await PostgresServer.GetAsync();
        var schema = server.NewSchema();
        var store = await MartenLedgerStore.OpenAsync(schema.ConnectionString, clock, schema.Name);
        store.BulkThreshold = bulkThreshold ?? store.BulkThreshold;
        return new ScratchLedgerStore(store, schema);
    }

    /// <summary>The connection string of the schema (for reading Marten's tables directly).</summary>
    public string ConnectionString => schema.ConnectionString;

    public string SchemaName => schema.Name;

    public Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default) =>
        Store.AppendAsync(appends, cancellationToken);

    public Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition, CancellationToken cancellationToken = default) =>
        Store.AppendAsync(appends, precondition, cancellationToken);

    public ILedgerLog Log => Store.Log;

    public IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default) =>
        Store.ReadStreamAsync(streamId, fromVersion, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default) =>
        Store.ReadAllAsync(afterPosition, cancellationToken);

    public Task ImportAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default) =>
        Store.ImportAsync(events, cancellationToken);

    public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => Store.GetHeadPositionAsync(cancellationToken);

    public Task<CopyInProgress?> GetCopyInProgressAsync(CancellationToken cancellationToken = default) => Store.GetCopyInProgressAsync(cancellationToken);

    public Task SetCopyInProgressAsync(CopyInProgress? copy, CancellationToken cancellationToken = default) => Store.SetCopyInProgressAsync(copy, cancellationToken);

    public Task<StoredEvent?> FindEventAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        Store.FindEventAsync(eventId, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await schema.DisposeAsync();
    }
}
