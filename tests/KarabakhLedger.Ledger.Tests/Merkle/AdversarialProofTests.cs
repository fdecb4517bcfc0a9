using System.Security.Cryptography;
using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Ledger.Tests.Merkle;

/// <summary>
/// The proof verifiers as an attacker would try them (cf. immudb GHSA-672p-m5jq-mrh8, where a verifier accepted a
/// falsified proof). Every expected answer comes from <see cref="ReferenceTree"/>, the RFC 9162 recursive definitions
/// with their own SHA-256 calls: a proof must verify exactly when it is the reference proof for the claimed index,
/// size and roots, and for nothing else.
/// </summary>
public sealed class AdversarialProofTests
{
    private const int Max = 70;

    private const int Spread = 3;

    private static readonly ReferenceTree Tree = ReferenceTree.Of(Max + Spread);

    private static readonly ReferenceTree Other = ReferenceTree.Of(Max + Spread, "other");

    [Fact]
    public void An_inclusion_proof_verifies_for_exactly_the_index_and_size_it_was_made_for()
    {
        var accepted = 0;
        for (var n = 1; n <= Max; n++)
        {
            for (var i = 0; i < n; i++)
            {
                var proof = Tree.Path(i, n);
                Assert.True(MerkleProofs.VerifyInclusion(i, n, Tree.LeafHash(i), proof, Tree.Root(n)), $"leaf {i} of {n}");
                accepted++;
                for (var size = Math.Max(1, n - Spread); size <= n + Spread; size++)
                {
                    for (var j = 0; j < size; j++)
                    {
                        var genuine = j == i && proof.Count == Tree.Path(j, size).Count && proof.Zip(Tree.Path(j, size)).All(p => p.First.SequenceEqual(p.Second));
                        Assert.Equal(genuine, MerkleProofs.VerifyInclusion(j, size, Tree.LeafHash(i), proof, Tree.Root(size)));
                    }
                }
            }
        }

        Assert.Equal(Max * (Max + 1) / 2, accepted);
    }

    [Fact]
    public void An_index_at_or_past_the_size_is_refused_whatever_the_proof()
    {
        for (var n = 1; n <= Max; n++)
        {
            var proof = Tree.Path(n - 1, n);
            foreach (var index in new long[] { n, n + 1, 2L * n, long.MaxValue, -1, long.MinValue })
            {
                Assert.False(MerkleProofs.VerifyInclusion(index, n, Tree.LeafHash(n - 1), proof, Tree.Root(n)), $"index {index} of {n}");
            }

            Assert.False(MerkleProofs.VerifyInclusion(0, -n, Tree.LeafHash(0), proof, Tree.Root(n)), $"size {-n}");
            Assert.False(MerkleProofs.VerifyInclusion(0, long.MaxValue, Tree.LeafHash(0), proof, Tree.Root(n)), "size long.MaxValue");
        }
    }

    [Fact]
    public void Leaf_data_an_inner_node_or_a_sibling_is_never_taken_for_the_leaf_hash()
    {
        for (var n = 2; n <= Max; n++)
        {
            for (var i = 0; i < n; i++)
            {
                var proof = Tree.Path(i, n);
                var root = Tree.Root(n);
                var padded = SHA256.HashData(Tree.Leaves[i]);
                Assert.False(MerkleProofs.VerifyInclusion(i, n, padded, proof, root), $"leaf {i} of {n}: SHA-256 of the data without the 0x00 prefix");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, Tree.Leaves[i], proof, root), $"leaf {i} of {n}: the leaf's data itself");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, proof[0], [Tree.LeafHash(i), .. proof.Skip(1)], root), $"leaf {i} of {n}: leaf and first sibling swapped");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, root, [], root), $"leaf {i} of {n}: the root presented as a leaf");
            }

            for (var level = 1; 1 << level < n; level++)
            {
                var width = 1 << level;
                for (var start = 0; start + width <= n; start += width)
                {
                    var inner = Tree.Mth(start, width);
                    var outer = Tree.Path(start, n).Skip(level).ToList();
                    for (var j = 0; j < n; j++)
                    {
                        Assert.False(MerkleProofs.VerifyInclusion(j, n, inner, outer, Tree.Root(n)), $"inner node [{start}, {start + width}) of {n} presented as leaf {j}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Swapping_each_sibling_pair_or_reversing_the_path_is_refused()
    {
        for (var n = 3; n <= Max; n++)
        {
            for (var i = 0; i < n; i++)
            {
                var proof = Tree.Path(i, n);
                var reversed = proof.AsEnumerable().Reverse().ToList();
                if (!reversed.Zip(proof).All(p => p.First.SequenceEqual(p.Second)))
                {
                    Assert.False(MerkleProofs.VerifyInclusion(i, n, Tree.LeafHash(i), reversed, Tree.Root(n)), $"leaf {i} of {n}: path reversed");
                }

                for (var k = 0; k + 1 < proof.Count; k++)
                {
                    List<byte[]> swapped = [.. proof];
                    (swapped[k], swapped[k + 1]) = (swapped[k + 1], swapped[k]);
                    Assert.False(MerkleProofs.VerifyInclusion(i, n, Tree.LeafHash(i), swapped, Tree.Root(n)), $"leaf {i} of {n}: siblings {k} and {k + 1} swapped");
                }

                var mirrored = i ^ 1;
                if (mirrored < n)
                {
                    Assert.False(MerkleProofs.VerifyInclusion(mirrored, n, Tree.LeafHash(i), proof, Tree.Root(n)), $"leaf {i} of {n} claimed on the other side of its sibling");
                }
            }
        }
    }

    [Fact]
    public void Truncated_extended_or_foreign_inclusion_paths_are_refused()
    {
        var extra = SHA256.HashData("extra"u8);
        for (var n = 1; n <= Max; n++)
        {
            for (var i = 0; i < n; i++)
            {
                var proof = Tree.Path(i, n);
                var leaf = Tree.LeafHash(i);
                var root = Tree.Root(n);
                for (var keep = 0; keep < proof.Count; keep++)
                {
                    Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, proof.Take(keep).ToList(), root), $"leaf {i} of {n}: cut to {keep}");
                }

                Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, [.. proof, extra], root), $"leaf {i} of {n}: extended");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, [.. proof, root], root), $"leaf {i} of {n}: extended with the root");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, [.. Enumerable.Repeat(extra, 129)], root), $"leaf {i} of {n}: 129 elements");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, Other.Path(i, n), Other.Root(n)), $"leaf {i} of {n}: proof and root of another tree");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, Other.LeafHash(i), Other.Path(i, n), root), $"leaf {i} of {n}: another tree's leaf and proof");
                Assert.False(MerkleProofs.VerifyInclusion(i, n, leaf, proof, Other.Root(n)), $"leaf {i} of {n}: another tree's root");
            }
        }
    }

    [Fact]
    public void A_consistency_proof_verifies_for_exactly_the_sizes_and_roots_it_was_made_for()
    {
        for (var n = 1; n <= Max; n++)
        {
            for (var m = 1; m <= n; m++)
            {
                var proof = Tree.Proof(m, n);
                Assert.True(MerkleProofs.VerifyConsistency(m, n, Tree.Root(m), Tree.Root(n), proof), $"{m} to {n}");
                for (var first = Math.Max(0, m - Spread); first <= m + Spread; first++)
                {
                    for (var second = Math.Max(first, n - Spread); second <= n + Spread; second++)
                    {
                        var reference = first == 0 ? [] : Tree.Proof(first, second);
                        var genuine = reference.Count == proof.Count && reference.Zip(proof).All(p => p.First.SequenceEqual(p.Second));
                        Assert.Equal(genuine, MerkleProofs.VerifyConsistency(first, second, Tree.Root(first), Tree.Root(second), proof));
                    }
                }

                Assert.False(MerkleProofs.VerifyConsistency(m, n, Other.Root(m), Tree.Root(n), proof), $"{m} to {n}: old root of another tree");
                Assert.False(MerkleProofs.VerifyConsistency(m, n, Other.Root(m), Tree.Root(n), Other.Proof(m, n)), $"{m} to {n}: old root and proof of another tree");
                if (m < n)
                {
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, Tree.Root(m), Other.Root(n), proof), $"{m} to {n}: new root of another tree");
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, Tree.Root(m), Tree.Root(n), Other.Proof(m, n)), $"{m} to {n}: proof of another tree");
                    Assert.False(MerkleProofs.VerifyConsistency(n, m, Tree.Root(n), Tree.Root(m), proof), $"{m} to {n}: sizes turned round");
                }
            }
        }
    }

    [Fact]
    public void Consistency_proofs_cut_short_extended_or_reordered_are_refused()
    {
        var extra = SHA256.HashData("extra"u8);
        for (var n = 2; n <= Max; n++)
        {
            for (var m = 1; m < n; m++)
            {
                var proof = Tree.Proof(m, n);
                var (oldRoot, newRoot) = (Tree.Root(m), Tree.Root(n));
                for (var keep = 0; keep < proof.Count; keep++)
                {
                    Assert.False(MerkleProofs.VerifyConsistency(m, n, oldRoot, newRoot, proof.Take(keep).ToList()), $"{m} to {n}: cut to {keep}");
                }

                Assert.False(MerkleProofs.VerifyConsistency(m, n, oldRoot, newRoot, [.. proof, extra]), $"{m} to {n}: extended");
                Assert.False(MerkleProofs.VerifyConsistency(m, n, oldRoot, newRoot, [oldRoot, .. proof]), $"{m} to {n}: old root prepended");
                for (var k = 0; k + 1 < proof.Count; k++)
                {
                    if (!proof[k].SequenceEqual(proof[k + 1]))
                    {
                        List<byte[]> swapped = [.. proof];
                        (swapped[k], swapped[k + 1]) = (swapped[k + 1], swapped[k]);
                        Assert.False(MerkleProofs.VerifyConsistency(m, n, oldRoot, newRoot, swapped), $"{m} to {n}: {k} and {k + 1} swapped");
                    }
                }

                Assert.False(MerkleProofs.VerifyConsistency(0, n, oldRoot, newRoot, proof), $"{m} to {n}: claimed from the empty tree");
                Assert.False(MerkleProofs.VerifyConsistency(m, m, oldRoot, newRoot, []), $"{m} to {n}: claimed as equal sizes");
            }
        }
    }
}
