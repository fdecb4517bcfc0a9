using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;
using KarabakhLedger.Testing.Contracts;

namespace KarabakhLedger.Ledger.Tests.Sqlite;

public sealed class SqliteStoreContractTests : LedgerStoreContract
{
    protected override async Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock) =>
        await SqliteLedgerStore.OpenAsync(TempLedger.NewPath(), clock);
}
