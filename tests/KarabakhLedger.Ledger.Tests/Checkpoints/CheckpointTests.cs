using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Ledger.Tests.Checkpoints;

public sealed class CheckpointTests
{
    private static readonly TreeHead Head = new(1234, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 2, 18, 45, 8, TimeSpan.Zero).AddTicks(1234567);

    [Fact]
    public void A_signed_checkpoint_round_trips_through_its_text_and_verifies_with_its_key()
    {
        using var key = LedgerSigningKey.Create();

        var text = Checkpoint.Sign(Head, At, key).Format();
        var parsed = Checkpoint.Parse(text);

        Assert.Equal(
            $"karabakh-ledger checkpoint v1\nsize 1234\nroot {Head.RootHex}\ntime 2026-12-02T18:45:08.123456Z\nkey {key.KeyId}\n",
            text[..text.IndexOf("signature", StringComparison.Ordinal)]);
        Assert.Equal((1234L, Head.RootHex, key.KeyId), (parsed.Size, parsed.Root, parsed.KeyId));
        Assert.True(parsed.IsSignedBy(key.Public));
        Assert.True(Checkpoint.Parse(text.Replace("\n", "\r\n", StringComparison.Ordinal)).IsSignedBy(key.Public));
    }

    [Theory]
    [InlineData("size 1234", "size 1235")]
    [InlineData("time 2026-12-02T18:45:08.123456Z", "time 2026-12-02T18:45:09.123456Z")]
    public void A_checkpoint_with_any_signed_field_changed_does_not_verify(string line, string forged)
    {
        using var key = LedgerSigningKey.Create();
        var text = Checkpoint.Sign(Head, At, key).Format();

        Assert.False(Checkpoint.Parse(text.Replace(line, forged, StringComparison.Ordinal)).IsSignedBy(key.Public));
        var root = Checkpoint.Parse(text) with { Root = new string('0', 64) };
        Assert.False(root.IsSignedBy(key.Public));
    }

    [Fact]
    public void Another_key_does_not_verify_a_checkpoint()
    {
        using var key = LedgerSigningKey.Create();
        using var other = LedgerSigningKey.Create();
        var checkpoint = Checkpoint.Sign(Head, At, key);

        Assert.False(checkpoint.IsSignedBy(other.Public));
        Assert.False((checkpoint with { KeyId = other.KeyId }).IsSignedBy(other.Public));
    }

    [Theory]
    [InlineData("size 01234", "line 2")]
    [InlineData("root 0", "line 3")]
    [InlineData("time 2026-12-02 18:45", "line 4")]
    [InlineData("karabakh-ledger checkpoint v2", "line 1")]
    public void A_malformed_line_is_named(string replacement, string named)
    {
        using var key = LedgerSigningKey.Create();
        var lines = Checkpoint.Sign(Head, At, key).Format().Split('\n');
        var index = replacement.StartsWith("karabakh", StringComparison.Ordinal) ? 0 : Array.FindIndex(lines, l => l.StartsWith(replacement.Split(' ')[0] + " ", StringComparison.Ordinal));
        lines[index] = replacement;

        var error = Assert.Throws<FormatException>(() => Checkpoint.Parse(string.Join('\n', lines)));

        Assert.StartsWith(named, error.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Key_files_are_written_private_and_never_overwritten()
    {
        var folder = TestFolders.Create("karabakh-keys-").FullName;

        var (privatePath, publicPath, keyId) = LedgerSigningKey.CreateFiles(folder);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        using var loaded = LedgerSigningKey.Load(privatePath);
        Assert.Equal(keyId, loaded.KeyId);
        Assert.Equal(keyId, LedgerVerifyingKey.Load(publicPath).KeyId);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(privatePath));
        Assert.Throws<IOException>(() => LedgerSigningKey.CreateFiles(folder));

        File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Contains("chmod 600", Assert.Throws<InvalidDataException>(() => LedgerSigningKey.Load(privatePath)).Message);
    }
}
