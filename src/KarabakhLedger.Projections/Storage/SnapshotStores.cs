using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Where a ledger's projection state lives: <c>NAME.projections.db</c> beside a SQLite ledger file, or the schema
/// <c>&lt;ledger schema&gt;_projections</c> (or the one given) in the PostgreSQL database of a Marten ledger.
/// </summary>
public static class SnapshotStores
{
    public static async Task<ISnapshotStore> BesideAsync(
        ILedgerStore ledger, TimeProvider clock, string? postgresSchema = null, CancellationToken cancellationToken = default) =>
        ledger switch
        {
            SqliteLedgerStore sqlite => await SqliteSnapshotStore.OpenAsync(SqliteSnapshotStore.PathBesideLedger(sqlite.Path), clock, cancellationToken),
            MartenLedgerStore marten => await PostgresSnapshotStore.OpenAsync(marten.ConnectionString, clock, postgresSchema ?? $"{marten.Schema}_projections", cancellationToken),
            _ => throw new NotSupportedException($"No projection store is known for {ledger.Description}."),
        };
}
