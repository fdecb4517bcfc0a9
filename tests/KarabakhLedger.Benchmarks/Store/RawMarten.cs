using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace KarabakhLedger.Benchmarks.Store;

/// <summary>
/// Plain Marten in its own schema, configured as the ledger configures it (string stream keys, quick append with
/// server timestamps, unique index on event ids, System.Text.Json, one event type under the same alias), but none
/// of the ledger's rules: no advisory lock, no look-up of event ids or stream heads, no hash chain.
/// </summary>
internal sealed class RawMarten : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DocumentStore _store;

    private RawMarten(NpgsqlDataSource dataSource, DocumentStore store)
    {
        _dataSource = dataSource;
        _store = store;
    }

    public static async Task<RawMarten> OpenAsync(string connectionString, string schema)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var options = new StoreOptions();
        options.Connection(dataSource);
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        options.Events.EnableUniqueIndexOnEventId = true;
        options.Events.MapEventType<BenchRecord>(BenchRecord.Alias);
        options.UseSystemTextJsonForSerialization();
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        var store = new DocumentStore(options);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new RawMarten(dataSource, store);
    }

    /// <summary>One session, one <c>Events.Append</c> per stream, one <c>SaveChangesAsync</c>: one transaction.</summary>
    public async Task AppendAsync(Batch batch)
    {
        await using var session = _store.LightweightSession();
        foreach (var append in batch.Events.GroupBy(e => e.StreamId, StringComparer.Ordinal))
        {
            session.Events.Append(append.Key, append.Select(e => (object)e.Record).ToArray());
        }

        await session.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
