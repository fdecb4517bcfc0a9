using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Ledger.Store;

/// <summary>
/// One stored entry of the Merkle log: leaf <see cref="Index"/> stands for the event at <see cref="Position"/>, as
/// <see cref="LedgerLeaf"/> defines it, and <see cref="LeafHash"/> is the hash the log holds for it. Read back as
/// stored, so every field may have been tampered with: checking is the reader's job.
/// </summary>
/// <remarks><see cref="Position"/> is where the store keeps the event; the leaf itself does not cover it.</remarks>
public sealed record StoredLeaf(long Index, long Position, string StreamId, long StreamVersion, Guid EventId, string EventHash, byte[] LeafHash)
{
    public LedgerLeaf Leaf => new(StreamId, StreamVersion, EventId, EventHash);
}

/// <summary>
/// One row of the event table as an auditor reads it, without trusting it: the event when the row reads as one;
/// else <see cref="Malformed"/> says what is wrong with it; or <see cref="Hidden"/> says why the ledger's readers
/// skip the row (PostgreSQL: archived, or not of the ledger's event type). Stream id and version are there when
/// they could be read.
/// </summary>
public sealed record AuditRow(long Position, string? StreamId, long? StreamVersion, StoredEvent? Event, string? Malformed = null, string? Hidden = null);

/// <summary>
/// The Merkle log kept beside the events (docs/checkpoints.md): one leaf per event in global
/// order, written in the append's transaction, and the hash of every perfect subtree completed so far from level
/// <see cref="StoredSubtrees.LowestStoredLevel"/> up (the lower ones are computed from their leaves), so that a root
/// or a proof for any past size takes O(log² n) stored hashes.
/// </summary>
public interface ILedgerLog
{
    /// <summary>How many leaves the log holds.</summary>
    Task<long> GetSizeAsync(CancellationToken cancellationToken = default);

    /// <summary>The log's leaves in index order from <paramref name="fromIndex"/>.</summary>
    IAsyncEnumerable<StoredLeaf> ReadLeavesAsync(long fromIndex = 0, CancellationToken cancellationToken = default);

    /// <summary>The leaf of the event at <paramref name="position"/>; null when the log has none.</summary>
    Task<StoredLeaf?> FindLeafAsync(long position, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored hashes of the perfect subtrees <paramref name="ids"/> (level 0: leaf hashes). Those the log lacks
    /// are missing from the answer. <see cref="MerkleLog"/> asks only for stored levels (<see cref="StoredSubtrees.IsStored"/>).
    /// </summary>
    Task<IReadOnlyDictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken = default);

    /// <summary>Every row of the event table in position order, hidden and malformed ones included, parsed without trusting them.</summary>
    IAsyncEnumerable<AuditRow> ReadRowsForAuditAsync(CancellationToken cancellationToken = default);
}
