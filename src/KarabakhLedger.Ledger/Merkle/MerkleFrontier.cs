namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// A perfect subtree of the log: the one at <paramref name="Level"/> and <paramref name="Index"/> covers the leaves
/// <c>[Index·2^Level, (Index+1)·2^Level)</c>. Level 0 is a leaf hash.
/// </summary>
public readonly record struct NodeId(int Level, long Index)
{
    public long FirstLeaf => Index << Level;

    public long Width => 1L << Level;
}

/// <summary>A perfect subtree and its hash.</summary>
public sealed record MerkleNode(NodeId Id, byte[] Hash);

/// <summary>
/// The right edge of a growing tree (a compact range from leaf 0): the roots of its perfect subtrees, one per bit
/// set in its size, largest first. Appending a leaf merges equal-sized subtrees, so the frontier never holds more
/// than 64 hashes and a root over any number of leaves takes O(log n) memory.
/// </summary>
public sealed class MerkleFrontier
{
    private readonly List<MerkleNode> _subtrees;

    public MerkleFrontier()
        : this(0, [])
    {
    }

    private MerkleFrontier(long size, List<MerkleNode> subtrees)
    {
        Size = size;
        _subtrees = subtrees;
    }

    /// <summary>How many leaves the tree holds.</summary>
    public long Size { get; private set; }

    /// <summary>The perfect subtrees of the tree, largest (leftmost) first.</summary>
    public IReadOnlyList<MerkleNode> Subtrees => _subtrees;

    /// <summary>The perfect subtrees a tree of <paramref name="size"/> leaves decomposes into, largest first.</summary>
    public static IReadOnlyList<NodeId> SubtreesOf(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var ids = new List<NodeId>();
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) != 0)
            {
                ids.Add(new NodeId(level, start >> level));
                start += 1L << level;
            }
        }

        return ids;
    }

    /// <summary>
    /// A frontier at <paramref name="size"/> from its perfect subtrees' hashes (as <see cref="SubtreesOf"/> names them),
    /// e.g. read back from storage to continue a log.
    /// </summary>
    public static MerkleFrontier Resume(long size, IReadOnlyList<byte[]> subtreeHashes)
    {
        var ids = SubtreesOf(size);
        if (ids.Count != subtreeHashes.Count)
        {
            throw new ArgumentException($"A tree of {size} leaves has {ids.Count} perfect subtrees, not {subtreeHashes.Count}.", nameof(subtreeHashes));
        }

        return new MerkleFrontier(size, ids.Select((id, i) => new MerkleNode(id, CheckHash(subtreeHashes[i]))).ToList());
    }

    /// <summary>
    /// Adds a leaf (its <see cref="MerkleHash.Leaf"/>) and returns every perfect subtree it completes: the leaf
    /// itself first, then each merged node, lowest level first.
    /// </summary>
    public IReadOnlyList<MerkleNode> Append(byte[] leafHash)
    {
        var completed = new List<MerkleNode>(2) { new(new NodeId(0, Size), CheckHash(leafHash)) };
        var current = completed[0];
        while (_subtrees.Count > 0 && _subtrees[^1].Id.Level == current.Id.Level)
        {
            var left = _subtrees[^1];
            _subtrees.RemoveAt(_subtrees.Count - 1);
            current = new MerkleNode(new NodeId(current.Id.Level + 1, left.Id.Index >> 1), MerkleHash.Node(left.Hash, current.Hash));
            completed.Add(current);
        }

        _subtrees.Add(current);
        Size++;
        return completed;
    }

    /// <summary>The tree's root (RFC 9162 MTH): its perfect subtrees folded from the right.</summary>
    public byte[] Root()
    {
        if (_subtrees.Count == 0)
        {
            return MerkleHash.EmptyRoot;
        }

        var root = _subtrees[^1].Hash;
        for (var i = _subtrees.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(_subtrees[i].Hash, root);
        }

        return root;
    }

    private static byte[] CheckHash(byte[] hash) =>
        hash.Length == MerkleHash.Size ? hash : throw new ArgumentException($"A hash is {MerkleHash.Size} bytes, not {hash.Length}.", nameof(hash));
}
