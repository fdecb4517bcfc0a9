using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// What an append adds to the Merkle log: given the log's frontier as stored, the leaves of the new events (in
/// position order) and the perfect subtrees they complete. The store writes both in the append's transaction.
/// </summary>
internal sealed class LogExtension(MerkleFrontier frontier)
{
    public List<StoredLeaf> Leaves { get; } = [];

    public List<MerkleNode> Nodes { get; } = [];

    public long Size => frontier.Size;

    /// <summary>The stored subtrees a log of <paramref name="size"/> leaves continues from.</summary>
    public static IReadOnlyList<NodeId> FrontierOf(long size) => MerkleFrontier.SubtreesOf(size);

    /// <summary>
    /// Resumes from the rows of a frontier query, read to the end of its result set: one (−1, size) row, then one
    /// (level, index, hash) row per stored subtree of the frontier. Both stores' queries answer in this shape.
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

    /// <summary>Resumes from the frontier's stored hashes; a log whose frontier is not all there cannot be extended.</summary>
    public static LogExtension Resume(long size, IReadOnlyDictionary<NodeId, byte[]> stored)
    {
        var ids = FrontierOf(size);
        var missing = ids.Where(id => !stored.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"The Merkle log of {size} leaves lacks the stored subtree {missing[0]}: it was altered outside the ledger, so it cannot be extended. Run 'ledger verify'.");
        }

        return new LogExtension(MerkleFrontier.Resume(size, ids.Select(id => stored[id]).ToList()));
    }

    public void Add(long position, string streamId, long streamVersion, Guid eventId, string eventHash)
    {
        var leaf = new LedgerLeaf(streamId, streamVersion, eventId, eventHash);
        var completed = frontier.Append(leaf.Hash());
        Leaves.Add(new StoredLeaf(completed[0].Id.Index, position, streamId, streamVersion, eventId, eventHash, completed[0].Hash));
        Nodes.AddRange(completed.Skip(1));
    }

    public void Add(StoredEvent e) => Add(e.Position, e.StreamId, e.StreamVersion, e.EventId, e.Hash);
}
