using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing.Contracts;

namespace KarabakhLedger.Ledger.Marten.Tests;

public sealed class MartenStoreContractTests : LedgerStoreContract
{
    protected override async Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock) => await ScratchLedgerStore.OpenAsync(clock);
}
