using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>Opens the store a <c>--store</c> value names: a SQLite file path.</summary>
public static class StoreFactory
{
    public static async Task<ILedgerStore> OpenAsync(string location, TimeProvider clock, CancellationToken cancellationToken) =>
        await SqliteLedgerStore.OpenAsync(location, clock, cancellationToken);
}
