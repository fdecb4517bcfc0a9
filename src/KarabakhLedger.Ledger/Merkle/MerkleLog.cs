using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Merkle;

/// <summary>A tree head: the log's size and its root at that size.</summary>
public sealed record TreeHead(long Size, byte[] Root)
{
    public string RootHex => Convert.ToHexStringLower(Root);
}

/// <summary>Roots and proofs of a stored <see cref="ILedgerLog"/>, each from one read of the stored subtrees it needs.</summary>
public static class MerkleLog
{
    public static async Task<TreeHead> HeadAsync(ILedgerLog log, CancellationToken cancellationToken = default)
    {
        var size = await log.GetSizeAsync(cancellationToken);
        return new TreeHead(size, await RootAsync(log, size, cancellationToken));
    }

    /// <exception cref="InvalidDataException">the log lacks a stored subtree the root needs.</exception>
    public static async Task<byte[]> RootAsync(ILedgerLog log, long size, CancellationToken cancellationToken = default)
    {
        var nodes = await ReadAsync(log, MerkleFrontier.SubtreesOf(size), cancellationToken);
        return MerkleProofs.Root(size, id => nodes[id]);
    }

    /// <exception cref="InvalidDataException">the log lacks a stored subtree the proof needs.</exception>
    public static Task<IReadOnlyList<byte[]>> InclusionProofAsync(ILedgerLog log, long index, long size, CancellationToken cancellationToken = default) =>
        ResolveAsync(log, MerkleProofs.InclusionRanges(index, size), cancellationToken);

    /// <exception cref="InvalidDataException">the log lacks a stored subtree the proof needs.</exception>
    public static Task<IReadOnlyList<byte[]>> ConsistencyProofAsync(ILedgerLog log, long first, long second, CancellationToken cancellationToken = default) =>
        ResolveAsync(log, MerkleProofs.ConsistencyRanges(first, second), cancellationToken);

    private static async Task<IReadOnlyList<byte[]>> ResolveAsync(ILedgerLog log, IReadOnlyList<LeafRange> ranges, CancellationToken cancellationToken)
    {
        var nodes = await ReadAsync(log, ranges.SelectMany(MerkleProofs.NodesOf).Distinct().ToList(), cancellationToken);
        return MerkleProofs.Resolve(ranges, id => nodes[id]);
    }

    /// <summary>
    /// The hashes of <paramref name="ids"/> from one read of the stored subtrees they need: those below
    /// <see cref="StoredSubtrees.LowestStoredLevel"/> are computed from their leaves.
    /// </summary>
    private static async Task<IReadOnlyDictionary<NodeId, byte[]>> ReadAsync(ILedgerLog log, IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken)
    {
        var stored = await log.ReadNodesAsync(StoredSubtrees.ToRead(ids), cancellationToken);
        return StoredSubtrees.TryCompose(ids, stored, out var nodes, out var missing)
            ? nodes
            : throw new InvalidDataException($"The Merkle log lacks a well-formed stored subtree {missing}: it was altered outside the ledger.");
    }
}
