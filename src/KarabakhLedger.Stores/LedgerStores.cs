using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;

namespace KarabakhLedger.Stores;

/// <summary>
/// A ledger and its projections' state, opened together from one <see cref="LedgerLocation"/>
/// (<see cref="LedgerLocation.OpenAsync"/>). Whoever opened them owns them and disposes them.
/// </summary>
public sealed class LedgerStores(LedgerLocation location, ILedgerStore ledger, ISnapshotStore snapshots) : IAsyncDisposable
{
    public LedgerLocation Location { get; } = location;

    public ILedgerStore Ledger { get; } = ledger;

    public ISnapshotStore Snapshots { get; } = snapshots;

    public async ValueTask DisposeAsync()
    {
        await Snapshots.DisposeAsync();
        await Ledger.DisposeAsync();
    }
}
