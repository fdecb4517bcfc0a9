using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing.Contracts;

namespace KarabakhLedger.Ledger.Marten.Tests;

public sealed class MartenAmendmentRaceTests : AmendmentRaceContract
{
    protected override async Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock) => await ScratchLedgerStore.OpenAsync(clock);

    protected override async Task<ILedgerStore> OpenSameLedgerAsync(ILedgerStore store, TimeProvider clock) =>
        await MartenLedgerStore.OpenAsync(((ScratchLedgerStore)store).Store.ConnectionString, clock, ((ScratchLedgerStore)store).Store.Schema);
}
