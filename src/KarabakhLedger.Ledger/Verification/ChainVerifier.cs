using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Verification;

/// <summary>The first link of a stream's hash chain that does not hold, and why.</summary>
public sealed record BrokenLink(long Position, string StreamId, long StreamVersion, Guid EventId, string Problem);

/// <summary>What <see cref="ChainVerifier"/> checked: events and streams, and the first broken link if any.</summary>
public sealed record VerificationReport(long EventsChecked, int StreamsChecked, BrokenLink? FirstBroken)
{
    public bool Intact => FirstBroken is null;
}

/// <summary>
/// Re-checks every stream's hash chain in one pass over the global feed: versions run 1, 2, 3…, each event
/// names its predecessor's hash, and each stored hash is the hash of the event as stored now.
/// </summary>
public static class ChainVerifier
{
    public static async Task<VerificationReport> VerifyAsync(
        ILedgerStore store, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var heads = new Dictionary<string, (long Version, string Hash)>(StringComparer.Ordinal);
        long count = 0;
        await foreach (var e in store.ReadAllAsync(0, cancellationToken))
        {
            count++;
            var (version, previous) = heads.GetValueOrDefault(e.StreamId, (0, EventHash.Genesis));
            var problem =
                e.StreamVersion != version + 1 ? $"version {e.StreamVersion} follows version {version}"
                : e.PreviousHash != previous ? $"previous hash {Short(e.PreviousHash)} is not the hash {Short(previous)} of version {version}"
                : EventHash.Compute(e) is var computed && computed != e.Hash ? $"stored hash {Short(e.Hash)} does not match its content (hashes to {Short(computed)}): the event was altered"
                : null;
            if (problem is not null)
            {
                return new VerificationReport(count, heads.Count, new BrokenLink(e.Position, e.StreamId, e.StreamVersion, e.EventId, problem));
            }

            heads[e.StreamId] = (e.StreamVersion, e.Hash);
            if (count % 1000 == 0)
            {
                progress?.Report(count);
            }
        }

        progress?.Report(count);
        return new VerificationReport(count, heads.Count, null);
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
