using System.Security.Cryptography;
using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Ledger.Tests.Merkle;

/// <summary>
/// The Merkle log library against the recursive definitions of RFC 9162 (<see cref="ReferenceTree"/>), for every
/// size up to <see cref="Max"/> and every index or pair of sizes; then falsified proofs, which must all be refused.
/// </summary>
public sealed class MerkleProofTests
{
    private const int Max = 64;

    private static readonly ReferenceTree Tree = ReferenceTree.Of(Max);

    private static readonly Dictionary<NodeId, byte[]> Nodes = Tree.StoredNodes();

    private static byte[] Node(NodeId id) => Nodes[id];

    private static IReadOnlyList<byte[]> Inclusion(long index, long size) =>
        MerkleProofs.Resolve(MerkleProofs.InclusionRanges(index, size), Node);

    private static IReadOnlyList<byte[]> Consistency(long first, long second) =>
        MerkleProofs.Resolve(MerkleProofs.ConsistencyRanges(first, second), Node);

    [Fact]
    public void The_empty_tree_hashes_to_sha256_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.EmptyRoot));
        Assert.Equal(MerkleHash.EmptyRoot, new MerkleFrontier().Root());
        Assert.Equal(MerkleHash.EmptyRoot, MerkleProofs.Root(0, Node));
    }

    [Fact]
    public void Certificate_transparency_test_vector_of_eight_leaves()
    {
        byte[][] leaves =
        [
            [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
            [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
        ];
        var frontier = new MerkleFrontier();
        foreach (var leaf in leaves)
        {
            frontier.Append(MerkleHash.Leaf(leaf));
        }

        Assert.Equal("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", Convert.ToHexStringLower(frontier.Root()));
    }

    [Fact]
    public void Roots_match_the_recursive_definition_for_every_size()
    {
        var frontier = new MerkleFrontier();
        for (var n = 0; n <= Max; n++)
        {
            Assert.Equal(Tree.Root(n), frontier.Root());
            Assert.Equal(Tree.Root(n), MerkleProofs.Root(n, Node));
            Assert.Equal(n, frontier.Size);
            Assert.True(frontier.Subtrees.Count <= 64);
            if (n < Max)
            {
                frontier.Append(Tree.LeafHash(n));
            }
        }
    }

    [Fact]
    public void A_frontier_resumed_from_stored_subtrees_continues_to_the_same_roots()
    {
        for (var n = 0; n < Max; n++)
        {
            var resumed = MerkleFrontier.Resume(n, MerkleFrontier.SubtreesOf(n).Select(Node).ToList());
            for (var i = n; i < Max; i++)
            {
                var completed = resumed.Append(Tree.LeafHash(i));
                Assert.All(completed, c => Assert.Equal(Nodes[c.Id], c.Hash));
            }

            Assert.Equal(Tree.Root(Max), resumed.Root());
        }
    }

    [Fact]
    public void Inclusion_proofs_match_the_recursive_definition_and_verify_for_every_index_and_size()
    {
        for (var n = 1; n <= Max; n++)
        {
            for (var i = 0; i < n; i++)
            {
                var proof = Inclusion(i, n);
                Assert.Equal(Tree.Path(i, n), proof);
                Assert.True(MerkleProofs.VerifyInclusion(i, n, Tree.LeafHash(i), proof, Tree.Root(n)), $"leaf {i} of {n}");
            }
        }
    }

    [Fact]
    public void Consistency_proofs_match_the_recursive_definition_and_verify_for_every_pair_of_sizes()
    {
        for (var n = 1; n <= Max; n++)
        {
            for (var m = 1; m <= n; m++)
            {
                var proof = Consistency(m, n);
                Assert.Equal(Tree.Proof(m, n), proof);
                Assert.True(MerkleProofs.VerifyConsistency(m, n, Tree.Root(m), Tree.Root(n), proof), $"{m} to {n}");
            }

            Assert.Empty(Consistency(0, n));
            Assert.True(MerkleProofs.VerifyConsistency(0, n, MerkleHash.EmptyRoot, Tree.Root(n), []));
        }
    }

    [Fact]
    public void Inclusion_proofs_with_a_wrong_index_size_leaf_or_root_are_refused()
    {
        for (var n = 1; n <= Max; n++)
        {
            for (var i = 0; i < n; i++)
            {
                var proof = Inclusion(i, n);
                var leaf = Tree.LeafHash(i);
                for (var j = -1; j <= n; j++)
                {
                    if (j != i)
                    {
                        Assert.False(MerkleProofs.VerifyInclusion(j, n, leaf, proof, Tree.Root(n)), $"leaf {i} of {n} claimed at {j}");
                    }
                }

                for (var j = 0; j < Max; j++)
                {
                    if (j != i)
                    {
                        Assert.False(MerkleProofs.VerifyInclusion(i, n, Tree.LeafHash(j), proof, Tree.Root(n)), $"leaf {j} passed off as leaf {i} of {n}");
                    }
                }

                for (var size = 0; size <= Max; size++)
                {
                    if (size != n)
                    {
                        Assert.False(MerkleProofs.VerifyInclusion(i, size, leaf, proof, Tree.Root(size)), $"leaf {i} of {n} claimed in a tree of {size}");
                    }
                }

                Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, proof, Tree.Root(n - 1)), $"leaf {i} of {n} against the root of {n - 1}");
            }
        }
    }

    [Fact]
    public void Inclusion_proofs_tampered_with_are_refused()
    {
        var other = ReferenceTree.Of(Max, "other");
        for (var n = 1; n <= Max; n++)
        {
            for (var i = 0; i < n; i++)
            {
                var proof = Inclusion(i, n);
                var leaf = Tree.LeafHash(i);
                var root = Tree.Root(n);
                foreach (var (what, forged) in Falsified(proof))
                {
                    Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, forged, root), $"leaf {i} of {n}: {what}");
                }

                if (n > 1)
                {
                    Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, other.Path(i, n), root), $"leaf {i} of {n}: proof of another tree");
                    Assert.False(MerkleProofs.VerifyInclusion(i, n, other.LeafHash(i), other.Path(i, n), root), $"leaf {i} of {n}: leaf and proof of another tree");
                }
            }
        }
    }

    [Fact]
    public void Consistency_proofs_tampered_with_or_for_wrong_sizes_are_refused()
    {
        var other = ReferenceTree.Of(Max, "other");
        for (var n = 1; n <= Max; n++)
        {
            for (var m = 1; m < n; m++)
            {
                var proof = Consistency(m, n);
                foreach (var (what, forged) in Falsified(proof))
                {
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, Tree.Root(m), Tree.Root(n), forged), $"{m} to {n}: {what}");
                }

                Assert.False(MerkleProofs.VerifyConsistency(m, n, Tree.Root(m), Tree.Root(n), []), $"{m} to {n}: empty proof");
                Assert.False(MerkleProofs.VerifyConsistency(n, m, Tree.Root(n), Tree.Root(m), proof), $"{m} to {n}: sizes turned round");
                Assert.False(MerkleProofs.VerifyConsistency(m, n, Tree.Root(n), Tree.Root(m), proof), $"{m} to {n}: roots turned round");
                Assert.False(MerkleProofs.VerifyConsistency(m, n, other.Root(m), Tree.Root(n), other.Proof(m, n)), $"{m} to {n}: an old root of another tree");
                Assert.False(MerkleProofs.VerifyConsistency(m, n, Tree.Root(m), other.Root(n), proof), $"{m} to {n}: a new root of another tree");
                for (var first = Math.Max(0, m - 2); first <= Math.Min(Max, m + 2); first++)
                {
                    for (var second = Math.Max(first, n - 2); second <= Math.Min(Max, n + 2); second++)
                    {
                        if ((first, second) != (m, n) && !proof.SequenceEqual(Consistency(first, second)))
                        {
                            Assert.False(MerkleProofs.VerifyConsistency(first, second, Tree.Root(first), Tree.Root(second), proof), $"proof {m} to {n} claimed for {first} to {second}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Edge_cases_of_sizes_zero_and_equal_are_refused_unless_exact()
    {
        var root = Tree.Root(5);
        Assert.False(MerkleProofs.VerifyInclusion(0, 0, Tree.LeafHash(0), [], MerkleHash.EmptyRoot));
        Assert.False(MerkleProofs.VerifyInclusion(-1, 5, Tree.LeafHash(0), Inclusion(0, 5), root));
        Assert.False(MerkleProofs.VerifyInclusion(0, 1, Tree.LeafHash(0), [Tree.LeafHash(1)], Tree.Root(1)));
        Assert.True(MerkleProofs.VerifyInclusion(0, 1, Tree.LeafHash(0), [], Tree.Root(1)));
        Assert.False(MerkleProofs.VerifyConsistency(0, 5, root, root, []));
        Assert.False(MerkleProofs.VerifyConsistency(0, 5, MerkleHash.EmptyRoot, root, [root]));
        Assert.True(MerkleProofs.VerifyConsistency(0, 0, MerkleHash.EmptyRoot, MerkleHash.EmptyRoot, []));
        Assert.True(MerkleProofs.VerifyConsistency(5, 5, root, root, []));
        Assert.False(MerkleProofs.VerifyConsistency(5, 5, root, Tree.Root(4), []));
        Assert.False(MerkleProofs.VerifyConsistency(5, 5, root, root, [root]));
        Assert.False(MerkleProofs.VerifyConsistency(6, 5, Tree.Root(6), root, Consistency(5, 6)));
        Assert.False(MerkleProofs.VerifyConsistency(-1, 5, root, root, []));
        Assert.False(MerkleProofs.VerifyInclusion(0, 5, Tree.LeafHash(0).AsSpan(..31), Inclusion(0, 5), root));
        Assert.False(MerkleProofs.VerifyInclusion(0, 5, Tree.LeafHash(0), [.. Inclusion(0, 5).Select(p => p[..31])], root));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.InclusionRanges(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.InclusionRanges(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.ConsistencyRanges(6, 5));
        Assert.Empty(MerkleProofs.ConsistencyRanges(5, 5));
        Assert.Throws<ArgumentException>(() => MerkleProofs.NodesOf(new LeafRange(1, 2)));
    }

    [Fact]
    public void Root_computation_over_a_million_leaves_keeps_only_the_frontier()
    {
        var frontier = new MerkleFrontier();
        var leaf = new byte[8];
        for (long i = 0; i < 1 << 20; i++)
        {
            BitConverter.TryWriteBytes(leaf, i);
            frontier.Append(MerkleHash.Leaf(leaf));
        }

        Assert.Single(frontier.Subtrees);
        Assert.Equal(1 << 20, frontier.Size);
        Assert.Equal(new NodeId(20, 0), frontier.Subtrees[0].Id);
    }

    /// <summary>Every way of falsifying a proof that must be refused: each element flipped, neighbours swapped, cut short, extended.</summary>
    private static IEnumerable<(string What, IReadOnlyList<byte[]> Proof)> Falsified(IReadOnlyList<byte[]> proof)
    {
        for (var k = 0; k < proof.Count; k++)
        {
            var flipped = proof.Select(p => (byte[])p.Clone()).ToArray();
            flipped[k][k % MerkleHash.Size] ^= 0x01;
            yield return ($"element {k} flipped", flipped);
        }

        for (var a = 0; a < proof.Count; a++)
        {
            for (var b = a + 1; b < proof.Count; b++)
            {
                if (!proof[a].SequenceEqual(proof[b]))
                {
                    var swapped = proof.ToArray();
                    (swapped[a], swapped[b]) = (swapped[b], swapped[a]);
                    yield return ($"elements {a} and {b} swapped", swapped);
                }
            }
        }

        if (proof.Count > 0)
        {
            yield return ("last element dropped", proof.Take(proof.Count - 1).ToArray());
            yield return ("first element dropped", proof.Skip(1).ToArray());
            yield return ("first element repeated", [proof[0], .. proof]);
        }

        var extra = SHA256.HashData("extra"u8);
        yield return ("extended at the end", [.. proof, extra]);
        yield return ("extended at the start", [extra, .. proof]);
        yield return ("extended with a zero hash", [.. proof, new byte[MerkleHash.Size]]);
    }
}
