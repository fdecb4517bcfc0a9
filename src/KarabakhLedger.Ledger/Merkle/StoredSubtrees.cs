namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// Which perfect subtrees the stored log keeps (docs/adr/0029-merkle-inner-nodes-from-level-four.md): every leaf, and
/// the inner nodes from <see cref="LowestStoredLevel"/> up. An inner node below it is computed from its leaves (at
/// most 8), here, for both stores, from the leaf hashes they read back: the stores only write fewer rows and read
/// the frontier's last leaves.
/// </summary>
public static class StoredSubtrees
{
    /// <summary>
    /// The lowest level of inner node a store writes: one node row per 16 leaves. Levels 1 to 3 are computed from at
    /// most 8 leaves each (a subtree of level k covers 2^k leaves). Rows of those levels written before ADR 29 are
    /// never read.
    /// </summary>
    public const int LowestStoredLevel = 4;

    /// <summary>How many leaves the lowest stored level covers: the frontier's computed subtrees lie in the last size mod this many leaves.</summary>
    public const long LowestStoredWidth = 1L << LowestStoredLevel;

    /// <summary>Whether a store keeps the subtree <paramref name="id"/>: a leaf, or an inner node from <see cref="LowestStoredLevel"/> up.</summary>
    public static bool IsStored(NodeId id) => id.Level == 0 || id.Level >= LowestStoredLevel;

    /// <summary>
    /// The stored subtrees the hashes of <paramref name="ids"/> are read from, each once: a stored subtree itself, one
    /// below <see cref="LowestStoredLevel"/> its leaves.
    /// </summary>
    public static IReadOnlyCollection<NodeId> ToRead(IEnumerable<NodeId> ids)
    {
        var read = new HashSet<NodeId>();
        foreach (var id in ids)
        {
            if (IsStored(id))
            {
                read.Add(id);
            }
            else
            {
                for (var leaf = id.FirstLeaf; leaf < id.FirstLeaf + id.Width; leaf++)
                {
                    read.Add(new NodeId(0, leaf));
                }
            }
        }

        return read;
    }

    /// <summary>
    /// The hashes of <paramref name="ids"/> from the stored hashes <paramref name="stored"/> (as <see cref="ToRead"/>
    /// names them): a stored subtree's as stored, a lower inner node's folded from its leaves. False, with the first
    /// stored subtree that is missing or not a hash in <paramref name="missing"/>, when one of them cannot be had.
    /// </summary>
    public static bool TryCompose(IEnumerable<NodeId> ids, IReadOnlyDictionary<NodeId, byte[]> stored, out Dictionary<NodeId, byte[]> hashes, out NodeId missing)
    {
        hashes = [];
        foreach (var id in ids)
        {
            if (Hash(id, stored, out missing) is not { } hash)
            {
                return false;
            }

            hashes[id] = hash;
        }

        missing = default;
        return true;
    }

    private static byte[]? Hash(NodeId id, IReadOnlyDictionary<NodeId, byte[]> stored, out NodeId missing)
    {
        missing = id;
        if (IsStored(id))
        {
            return stored.TryGetValue(id, out var hash) && hash.Length == MerkleHash.Size ? hash : null;
        }

        var left = Hash(new NodeId(id.Level - 1, id.Index << 1), stored, out missing);
        var right = left is null ? null : Hash(new NodeId(id.Level - 1, (id.Index << 1) + 1), stored, out missing);
        return right is null ? null : MerkleHash.Node(left!, right);
    }
}
