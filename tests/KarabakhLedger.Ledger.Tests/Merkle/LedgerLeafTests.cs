using System.Security.Cryptography;
using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Ledger.Tests.Merkle;

public sealed class LedgerLeafTests
{
    private static readonly string EventHash = new('a', 64);

    [Fact]
    public void A_leaf_is_laid_out_byte_for_byte_as_documented()
    {
        var leaf = new LedgerLeaf(0x0102, "dyad-RUS-TUR", 3, EventHash);

        var expected = "01" + "0000000000000102" + "0000000000000003" + "0000000c" + Convert.ToHexStringLower("dyad-RUS-TUR"u8) + EventHash;

        Assert.Equal(expected, Convert.ToHexStringLower(leaf.Encode()));
        Assert.Equal(SHA256.HashData([0x00, .. leaf.Encode()]), leaf.Hash());
    }

    [Fact]
    public void Position_stream_and_version_each_change_the_leaf()
    {
        var leaf = new LedgerLeaf(7, "dyad-A-B", 2, EventHash);

        Assert.NotEqual(leaf.Hash(), (leaf with { Position = 8 }).Hash());
        Assert.NotEqual(leaf.Hash(), (leaf with { StreamVersion = 3 }).Hash());
        Assert.NotEqual(leaf.Hash(), (leaf with { StreamId = "dyad-A-C" }).Hash());
        Assert.NotEqual(leaf.Hash(), (leaf with { EventHash = new string('b', 64) }).Hash());
    }

    [Theory]
    [InlineData("not hex")]
    [InlineData("abc")]
    public void A_leaf_with_a_malformed_event_hash_cannot_be_encoded(string hash) =>
        Assert.Throws<FormatException>(() => new LedgerLeaf(1, "s", 1, hash).Encode());
}
