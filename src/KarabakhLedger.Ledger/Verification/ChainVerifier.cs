using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Verification;

/// <summary>
/// Re-checks every stream's hash chain in one pass over the stored rows, read without trusting them
/// (<see cref="ILedgerLog.ReadRowsForAuditAsync"/>): versions run 1, 2, 3…, each event names its predecessor's hash,
/// each stored hash is the hash of the event as stored now, and a row that does not read as an event is a broken link.
/// </summary>
public static class ChainVerifier
{
    public static async Task<VerificationReport> VerifyAsync(
        ILedgerStore store, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var walk = new ChainWalk();
        await foreach (var chunk in HashedRows.ReadAsync(store.Log.ReadRowsForAuditAsync(cancellationToken), withLeaves: false, cancellationToken))
        {
            for (var i = 0; i < chunk.Rows.Count; i++)
            {
                walk.Add(chunk.Rows[i], chunk.Hashes[i]);
                if (walk.EventsChecked % 1000 == 0)
                {
                    progress?.Report(walk.EventsChecked);
                }
            }
        }

        progress?.Report(walk.EventsChecked);
        return new VerificationReport(
            walk.EventsChecked, walk.StreamsChecked, walk.FirstBroken, UnfinishedCopy: await store.GetCopyInProgressAsync(cancellationToken));
    }
}
