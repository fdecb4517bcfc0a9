using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// What an append adds to the Merkle log: given the log's frontier as stored, the leaves of the new events (in
/// position order) and the perfect subtrees they complete from <see cref="StoredSubtrees.LowestStoredLevel"/> up.
/// The store writes both in the append's transaction.
/// </summary>
internal sealed class LogExtension(MerkleFrontier frontier)
{
    public List<StoredLeaf> Leaves { get; } = [];

    public List<MerkleNode> Nodes { get; } = [];

    public long Size => frontier.Size;

    /// <summary>The subtrees a log of <paramref name="size"/> leaves continues from.</summary>
    public static IReadOnlyList<NodeId> FrontierOf(long size) => MerkleFrontier.SubtreesOf(size);

    /// <summary>
    /// Resumes from the rows of a frontier query, read to the end of its result set: one (−1, size) row, then one
    /// (level, index, hash) row per stored subtree of the frontier from <see cref="StoredSubtrees.LowestStoredLevel"/>
    /// up, and one (0, index, hash) row per leaf of the last size mod <see cref="StoredSubtrees.LowestStoredWidth"/>:
    /// the frontier's lower subtrees cover those leaves and are computed from them. Both stores' queries answer in this
    /// shape.
    /// </summary>
    public static async Task<LogExtension> ResumeAsync(System.Data.Common.DbDataReader reader, CancellationToken cancellationToken)
    {
        long size = 0;
        var found = new Dictionary<NodeId, byte[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var level = reader.GetInt32(0);
            if (level < 0)
            {
                size = reader.GetInt64(1);
            }
            else if (reader.GetValue(2) is byte[] hash)
            {
                found[new NodeId(level, reader.GetInt64(1))] = hash;
            }
        }

        return Resume(size, found);
    }

    /// <summary>
    /// Resumes from the stored hashes the frontier needs (<see cref="StoredSubtrees.ToRead"/>); a log whose frontier
    /// is not all there cannot be extended.
    /// </summary>
    public static LogExtension Resume(long size, IReadOnlyDictionary<NodeId, byte[]> stored)
    {
        var ids = FrontierOf(size);
        if (!StoredSubtrees.TryCompose(ids, stored, out var hashes, out var missing))
        {
            throw new InvalidDataException(
                $"The Merkle log of {size} leaves lacks the stored subtree {missing}: it was altered outside the ledger, so it cannot be extended. Run 'ledger verify'.");
        }

        return new LogExtension(MerkleFrontier.Resume(size, ids.Select(id => hashes[id]).ToList()));
    }

    public void Add(long position, string streamId, long streamVersion, Guid eventId, string eventHash)
    {
        var leaf = new LedgerLeaf(streamId, streamVersion, eventId, eventHash);
        var completed = frontier.Append(leaf.Hash());
        Leaves.Add(new StoredLeaf(completed[0].Id.Index, position, streamId, streamVersion, eventId, eventHash, completed[0].Hash));
        Nodes.AddRange(completed.Skip(1).Where(node => StoredSubtrees.IsStored(node.Id)));
    }

    public void Add(StoredEvent e) => Add(e.Position, e.StreamId, e.StreamVersion, e.EventId, e.Hash);
}
