namespace KarabakhLedger.Ledger.Merkle;

/// <summary>A run of leaves <c>[Start, Start+Count)</c> whose RFC 9162 subtree hash (MTH) a proof carries.</summary>
public readonly record struct LeafRange(long Start, long Count);

/// <summary>
/// RFC 9162 §2.1.3 and §2.1.4: inclusion and consistency proofs, generated from the hashes of perfect subtrees and
/// verified with the RFC's own iterative algorithms. Generation is split in two so that a store can fetch every
/// node a proof needs in one round trip: <see cref="InclusionRanges"/> / <see cref="ConsistencyRanges"/> name the
/// subtrees, <see cref="NodesOf"/> the stored perfect subtrees they are made of, and <see cref="Resolve"/> folds them.
/// </summary>
public static class MerkleProofs
{
    /// <summary>The subtrees of PATH(index, D[0:size]), leaf level first (RFC 9162 §2.1.3.1).</summary>
    public static IReadOnlyList<LeafRange> InclusionRanges(long index, long size)
    {
        if (size <= 0 || index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size} leaves.");
        }

        var ranges = new List<LeafRange>();
        Path(index, 0, size, ranges);
        return ranges;
    }

    /// <summary>
    /// The subtrees of PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1). Empty when <paramref name="first"/> is 0 or
    /// equals <paramref name="second"/>: nothing needs proving.
    /// </summary>
    public static IReadOnlyList<LeafRange> ConsistencyRanges(long first, long second)
    {
        if (first < 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"A tree of {first} leaves cannot be an earlier state of one of {second}.");
        }

        var ranges = new List<LeafRange>();
        if (first > 0)
        {
            SubProof(first, 0, second, true, ranges);
        }

        return ranges;
    }

    /// <summary>The perfect subtrees whose hashes make up <paramref name="range"/>'s MTH, largest (leftmost) first.</summary>
    public static IReadOnlyList<NodeId> NodesOf(LeafRange range)
    {
        if (range.Start < 0 || range.Count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(range), $"{range} is not a run of leaves.");
        }

        var ids = new List<NodeId>();
        var start = range.Start;
        var left = range.Count;
        while (left > 0)
        {
            var level = 63 - (int)long.LeadingZeroCount(left);
            if (start % (1L << level) != 0 || (ids.Count > 0 && ids[^1].Level <= level))
            {
                throw new ArgumentException($"{range} is not a subtree of an RFC 9162 proof.", nameof(range));
            }

            ids.Add(new NodeId(level, start >> level));
            start += 1L << level;
            left -= 1L << level;
        }

        return ids;
    }

    /// <summary>Each range's MTH from the perfect subtrees' hashes that <paramref name="node"/> gives.</summary>
    public static IReadOnlyList<byte[]> Resolve(IReadOnlyList<LeafRange> ranges, Func<NodeId, byte[]> node) =>
        ranges.Select(r => Fold(NodesOf(r).Select(node).ToList())).ToArray();

    /// <summary>The root of a tree of <paramref name="size"/> leaves from its perfect subtrees' hashes.</summary>
    public static byte[] Root(long size, Func<NodeId, byte[]> node) =>
        size == 0 ? MerkleHash.EmptyRoot : Fold(MerkleFrontier.SubtreesOf(size).Select(node).ToList());

    /// <summary>
    /// RFC 9162 §2.1.3.2: whether <paramref name="proof"/> shows the leaf hash <paramref name="leafHash"/> at
    /// <paramref name="index"/> in the tree of <paramref name="size"/> leaves whose root is <paramref name="root"/>.
    /// </summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || size <= 0 || index >= size || !WellFormed(leafHash, root, proof))
        {
            return false;
        }

        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>
    /// RFC 9162 §2.1.4.2: whether <paramref name="proof"/> shows that the tree of <paramref name="first"/> leaves with
    /// root <paramref name="firstRoot"/> is a prefix of the tree of <paramref name="second"/> leaves with root
    /// <paramref name="secondRoot"/>. The RFC covers 0 &lt; first &lt; second; equal sizes need an empty proof and
    /// equal roots, and a first size of 0 an empty proof and the empty tree's root.
    /// </summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (first < 0 || first > second || !WellFormed(firstRoot, secondRoot, proof))
        {
            return false;
        }

        if (first == 0)
        {
            return proof.Count == 0 && firstRoot.SequenceEqual(MerkleHash.EmptyRoot);
        }

        if (first == second)
        {
            return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = MerkleHash.IsPowerOfTwo(first) ? [firstRoot.ToArray(), .. proof] : proof.ToList();
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    private static void Path(long m, long start, long n, List<LeafRange> ranges)
    {
        if (n == 1)
        {
            return;
        }

        var k = MerkleHash.Split(n);
        if (m < k)
        {
            Path(m, start, k, ranges);
            ranges.Add(new LeafRange(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, ranges);
            ranges.Add(new LeafRange(start, k));
        }
    }

    private static void SubProof(long m, long start, long n, bool whole, List<LeafRange> ranges)
    {
        if (m == n)
        {
            if (!whole)
            {
                ranges.Add(new LeafRange(start, n));
            }

            return;
        }

        var k = MerkleHash.Split(n);
        if (m <= k)
        {
            SubProof(m, start, k, whole, ranges);
            ranges.Add(new LeafRange(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, ranges);
            ranges.Add(new LeafRange(start, k));
        }
    }

    private static byte[] Fold(List<byte[]> subtrees)
    {
        var hash = subtrees[^1];
        for (var i = subtrees.Count - 2; i >= 0; i--)
        {
            hash = MerkleHash.Node(subtrees[i], hash);
        }

        return hash;
    }

    private static bool WellFormed(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, IReadOnlyList<byte[]> proof)
    {
        if (a.Length != MerkleHash.Size || b.Length != MerkleHash.Size || proof is null || proof.Count > 128)
        {
            return false;
        }

        foreach (var p in proof)
        {
            if (p is null || p.Length != MerkleHash.Size)
            {
                return false;
            }
        }

        return true;
    }
}
