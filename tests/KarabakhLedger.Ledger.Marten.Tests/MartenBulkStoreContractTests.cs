using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing.Contracts;

namespace KarabakhLedger.Ledger.Marten.Tests;

/// <summary>The store contract with every append that has no precondition written by the bulk path (COPY into Marten's tables).</summary>
public sealed class MartenBulkStoreContractTests : LedgerStoreContract
{
    protected override async Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock) => await ScratchLedgerStore.OpenAsync(clock, bulkThreshold: 1);
}
