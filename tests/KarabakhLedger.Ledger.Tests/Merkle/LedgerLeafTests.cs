using System.Security.Cryptography;
using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Ledger.Tests.Merkle;

public sealed class LedgerLeafTests
{
    private static readonly string EventHash = new('a', 64);

    private static readonly Guid Id = Guid.Parse("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");

    [Fact]
    public void A_leaf_is_laid_out_byte_for_byte_as_documented()
    {
        var leaf = new LedgerLeaf("dyad-RUS-TUR", 3, Id, EventHash);

        var expected = "02" + "0000000000000003" + "0a1b2c3d4e5f60718293a4b5c6d7e8f9" + "0000000c" + Convert.ToHexStringLower("dyad-RUS-TUR"u8) + EventHash;

        Assert.Equal(expected, Convert.ToHexStringLower(leaf.Encode()));
        Assert.Equal(SHA256.HashData([0x00, .. leaf.Encode()]), leaf.Hash());
    }

    [Fact]
    public void Stream_version_event_id_and_hash_each_change_the_leaf()
    {
        var leaf = new LedgerLeaf("dyad-A-B", 2, Id, EventHash);

        Assert.NotEqual(leaf.Hash(), (leaf with { StreamVersion = 3 }).Hash());
        Assert.NotEqual(leaf.Hash(), (leaf with { StreamId = "dyad-A-C" }).Hash());
        Assert.NotEqual(leaf.Hash(), (leaf with { EventId = Guid.NewGuid() }).Hash());
        Assert.NotEqual(leaf.Hash(), (leaf with { EventHash = new string('b', 64) }).Hash());
    }

    [Theory]
    [InlineData("not hex")]
    [InlineData("abc")]
    public void A_leaf_with_a_malformed_event_hash_cannot_be_encoded(string hash) =>
        Assert.Throws<FormatException>(() => new LedgerLeaf("s", 1, Id, hash).Encode());
}
