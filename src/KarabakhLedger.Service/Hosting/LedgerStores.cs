using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// The two stores a node works on, opened from one location: the ledger itself and the projections' state beside
/// it. A SQLite path gives the embedded ledger and a <c>.projections.db</c> file next to it; a PostgreSQL connection
/// string gives the Marten ledger and the projection table, each in its own schema. The service owns both and
/// disposes them after the host has stopped.
/// </summary>
public sealed class LedgerStores(ILedgerStore ledger, ISnapshotStore snapshots) : IAsyncDisposable
{
    public ILedgerStore Ledger { get; } = ledger;

    public ISnapshotStore Snapshots { get; } = snapshots;

    /// <summary>True when <paramref name="location"/> is an Npgsql connection string rather than a file path.</summary>
    public static bool IsPostgres(string location) =>
        location.Contains('=', StringComparison.Ordinal)
        && (location.Contains("host=", StringComparison.OrdinalIgnoreCase) || location.Contains("server=", StringComparison.OrdinalIgnoreCase));

    /// <exception cref="LedgerStoreUnavailableException">either store cannot be opened; the message says why.</exception>
    public static async Task<LedgerStores> OpenAsync(LedgerServiceOptions options, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var location = options.Store;
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new LedgerStoreUnavailableException(
                $"No ledger is configured: set {LedgerServiceOptions.Section}:Store to a SQLite path or a PostgreSQL connection string.");
        }

        ILedgerStore ledger = IsPostgres(location)
            ? await MartenLedgerStore.OpenAsync(location, clock, options.StoreSchema, cancellationToken)
            : await SqliteLedgerStore.OpenAsync(location, clock, cancellationToken);
        try
        {
            return new LedgerStores(ledger, await SnapshotStores.BesideAsync(ledger, clock, options.ProjectionSchema, cancellationToken));
        }
        catch
        {
            await ledger.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Snapshots.DisposeAsync();
        await Ledger.DisposeAsync();
    }
}
