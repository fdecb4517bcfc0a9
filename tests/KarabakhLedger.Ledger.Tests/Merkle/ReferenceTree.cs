using System.Security.Cryptography;
using System.Text;
using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Ledger.Tests.Merkle;

/// <summary>
/// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 written out as their recursive definitions over the leaves, with its own
/// SHA-256 calls: the independent reference the library's iterative code is checked against.
/// </summary>
internal sealed class ReferenceTree(IReadOnlyList<byte[]> leaves)
{
    private readonly Dictionary<(int, int), byte[]> _mth = [];

    public static ReferenceTree Of(int size, string tag = "leaf") =>
        new(Enumerable.Range(0, size).Select(i => Encoding.UTF8.GetBytes($"{tag}-{i}")).ToArray());

    public IReadOnlyList<byte[]> Leaves { get; } = leaves;

    public byte[] LeafHash(int i) => SHA256.HashData([0x00, .. Leaves[i]]);

    /// <summary>MTH(D[start:start+n]).</summary>
    public byte[] Mth(int start, int n)
    {
        if (_mth.TryGetValue((start, n), out var known))
        {
            return known;
        }

        return _mth[(start, n)] = Compute(start, n);
    }

    private byte[] Compute(int start, int n)
    {
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return LeafHash(start);
        }

        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. Compute(start, k), .. Compute(start + k, n - k)]);
    }

    public byte[] Root(int n) => Mth(0, n);

    /// <summary>PATH(m, D[0:n]).</summary>
    public List<byte[]> Path(int m, int n) => Path(m, 0, n);

    /// <summary>PROOF(m, D[0:n]).</summary>
    public List<byte[]> Proof(int m, int n) => SubProof(m, 0, n, true);

    private List<byte[]> Path(int m, int start, int n)
    {
        if (n == 1)
        {
            return [];
        }

        var k = Split(n);
        return m < k
            ? [.. Path(m, start, k), Mth(start + k, n - k)]
            : [.. Path(m - k, start + k, n - k), Mth(start, k)];
    }

    private List<byte[]> SubProof(int m, int start, int n, bool b)
    {
        if (m == n)
        {
            return b ? [] : [Mth(start, n)];
        }

        var k = Split(n);
        return m <= k
            ? [.. SubProof(m, start, k, b), Mth(start + k, n - k)]
            : [.. SubProof(m - k, start + k, n - k, false), Mth(start, k)];
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }

    /// <summary>Every perfect subtree the library's frontier completes while the leaves are appended, by id.</summary>
    public Dictionary<NodeId, byte[]> StoredNodes()
    {
        var frontier = new MerkleFrontier();
        var nodes = new Dictionary<NodeId, byte[]>();
        for (var i = 0; i < Leaves.Count; i++)
        {
            foreach (var node in frontier.Append(MerkleHash.Leaf(Leaves[i])))
            {
                nodes.Add(node.Id, node.Hash);
            }
        }

        return nodes;
    }
}
