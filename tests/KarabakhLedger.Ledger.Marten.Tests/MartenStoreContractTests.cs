using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Tests.Contract;

namespace KarabakhLedger.Ledger.Marten.Tests;

public sealed class MartenStoreContractTests : LedgerStoreContract
{
    protected override async Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock) => await ScratchLedgerStore.OpenAsync(clock);
}
