using System.Security.Cryptography;

namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// The hashes of an RFC 9162 (Certificate Transparency v2) Merkle tree with SHA-256: a leaf is
/// <c>SHA-256(0x00 || leaf)</c>, an inner node <c>SHA-256(0x01 || left || right)</c>, and the empty tree's root
/// <c>SHA-256("")</c>. The two prefixes keep a leaf from ever being taken for a node (second pre-image).
/// </summary>
public static class MerkleHash
{
    public const int Size = 32;

    private static readonly byte[] Empty = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The root of the tree with no leaves.</summary>
    public static byte[] EmptyRoot => (byte[])Empty.Clone();

    public static byte[] Leaf(ReadOnlySpan<byte> leaf)
    {
        var buffer = new byte[leaf.Length + 1];
        buffer[0] = 0x00;
        leaf.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * Size];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2): RFC 9162's split point k.</summary>
    internal static long Split(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    internal static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;
}
