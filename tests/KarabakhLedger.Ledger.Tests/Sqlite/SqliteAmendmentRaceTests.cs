using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;
using KarabakhLedger.Testing.Contracts;

namespace KarabakhLedger.Ledger.Tests.Sqlite;

public sealed class SqliteAmendmentRaceTests : AmendmentRaceContract
{
    protected override async Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock) => await SqliteLedgerStore.OpenAsync(TempLedger.NewPath(), clock);

    protected override async Task<ILedgerStore> OpenSameLedgerAsync(ILedgerStore store, TimeProvider clock) =>
        await SqliteLedgerStore.OpenAsync(((SqliteLedgerStore)store).Path, clock);
}
