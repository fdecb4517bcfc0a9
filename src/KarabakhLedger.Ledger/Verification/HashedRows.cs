using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Verification;

/// <summary>
/// The stored rows in position order, in chunks, each readable event's hash already recomputed from its content on
/// every core: chunks are hashed in parallel while the next ones are read and the ones before are checked in order
/// (<see cref="ReadAhead"/>).
/// The hash of an event is that of its content and its stored predecessor hash, which needs nothing from the rows
/// before it, so any number of them can be hashed at once; everything that depends on order (the chains, the
/// frontier, which difference comes first) is left to the single pass that consumes the chunks
/// (docs/adr/0019-parallel-verify.md).
/// </summary>
internal static class HashedRows
{
    public const int ChunkSize = 1024;

    public static IAsyncEnumerable<HashedChunk> ReadAsync(
        IAsyncEnumerable<AuditRow> rows, bool withLeaves, CancellationToken cancellationToken = default) =>
        ReadAhead.ChunksAsync(rows, ChunkSize, (chunk, cancel) => HashedChunk.Of(chunk, withLeaves, cancel), cancellationToken);
}

/// <summary>Rows and, beside each, what hashing its event gave.</summary>
internal sealed class HashedChunk(IReadOnlyList<AuditRow> rows, RecomputedHash[] hashes)
{
    public IReadOnlyList<AuditRow> Rows => rows;

    public IReadOnlyList<RecomputedHash> Hashes => hashes;

    public static HashedChunk Of(List<AuditRow> rows, bool withLeaves, CancellationToken cancellationToken)
    {
        var hashes = new RecomputedHash[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (rows[i].Event is { } e)
            {
                hashes[i] = RecomputedHash.Of(e, withLeaves);
            }
        });
        return new HashedChunk(rows, hashes);
    }
}

/// <summary>
/// An event's hash recomputed from its content and its stored predecessor hash (or why it could not be), and the leaf
/// hash of the event with that hash, which is its leaf when the stream's recomputed chain agrees with the stored one.
/// </summary>
internal readonly record struct RecomputedHash(string? EventHash, byte[]? LeafHash, Exception? Failure)
{
    public static RecomputedHash Of(StoredEvent e, bool withLeaf)
    {
        string hash;
        try
        {
            hash = Store.EventHash.Compute(e);
        }
        catch (Exception x)
        {
            return new RecomputedHash(null, null, x);
        }

        if (!withLeaf)
        {
            return new RecomputedHash(hash, null, null);
        }

        try
        {
            return new RecomputedHash(hash, new LedgerLeaf(e.StreamId, e.StreamVersion, e.EventId, hash).Hash(), null);
        }
        catch (FormatException)
        {
            return new RecomputedHash(hash, null, null);
        }
    }
}
