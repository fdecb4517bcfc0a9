using System.Globalization;
using System.Text;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Checkpoints;

/// <summary>
/// A signed tree head of the ledger's Merkle log: its <see cref="Size"/> (leaves) and <see cref="Root"/> at a
/// <see cref="Time"/>, signed with the Ed25519 key <see cref="KeyId"/>. Meant to be kept outside the database, where
/// whoever alters the ledger cannot reach it. The text form (docs/checkpoints.md) is six lines:
/// <code>
/// karabakh-ledger checkpoint v1
/// size 1234
/// root 64 lower-case hex digits
/// time 2026-12-02T18:45:08.123456Z
/// key 16 lower-case hex digits
/// signature base64 of the 64-byte Ed25519 signature
/// </code>
/// The signature covers the UTF-8 bytes of the first five lines, each ending in one line feed.
/// </summary>
public sealed record Checkpoint(long Size, string Root, DateTimeOffset Time, string KeyId, byte[] Signature)
{
    public const string Header = "karabakh-ledger checkpoint v1";

    public const string FileExtension = ".checkpoint";

    /// <summary>The bytes the signature covers.</summary>
    public byte[] SignedBytes() => Encoding.UTF8.GetBytes(Body(Size, Root, Time, KeyId));

    public byte[] RootBytes => Convert.FromHexString(Root);

    public TreeHead Head => new(Size, RootBytes);

    public static Checkpoint Sign(TreeHead head, DateTimeOffset time, LedgerSigningKey key)
    {
        var at = EventHash.Truncate(time);
        var body = Body(head.Size, head.RootHex, at, key.KeyId);
        return new Checkpoint(head.Size, head.RootHex, at, key.KeyId, key.Sign(Encoding.UTF8.GetBytes(body)));
    }

    /// <summary>Whether <paramref name="key"/> is the key the checkpoint names and its signature holds.</summary>
    public bool IsSignedBy(LedgerVerifyingKey key) => key.KeyId == KeyId && key.Verify(SignedBytes(), Signature);

    public string Format() => Body(Size, Root, Time, KeyId) + $"signature {Convert.ToBase64String(Signature)}\n";

    /// <summary>Reads the text form; line endings may be LF or CRLF.</summary>
    /// <exception cref="FormatException">a line is missing or not in its canonical form; the message names it.</exception>
    public static Checkpoint Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 7 && lines[6].Length == 0)
        {
            lines = lines[..6];
        }

        if (lines.Length != 6)
        {
            throw new FormatException($"a checkpoint has 6 lines, this text has {lines.Length}");
        }

        if (lines[0] != Header)
        {
            throw new FormatException($"line 1 must be '{Header}'");
        }

        var size = Value(lines, 1, "size");
        if (!long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n.ToString(CultureInfo.InvariantCulture) != size)
        {
            throw new FormatException($"line 2: size '{size}' is not a whole number without leading zeros");
        }

        var root = Value(lines, 2, "root");
        if (!IsLowerHex(root, 64))
        {
            throw new FormatException("line 3: root is 64 lower-case hex digits");
        }

        var time = Value(lines, 3, "time");
        if (!DateTimeOffset.TryParseExact(time, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            throw new FormatException($"line 4: time '{time}' is not UTC with microseconds (yyyy-MM-ddTHH:mm:ss.ffffffZ)");
        }

        var key = Value(lines, 4, "key");
        if (!IsLowerHex(key, 16))
        {
            throw new FormatException("line 5: key is 16 lower-case hex digits");
        }

        var signature = Value(lines, 5, "signature");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            throw new FormatException("line 6: signature is not base64");
        }

        return bytes.Length == 64 && Convert.ToBase64String(bytes) == signature
            ? new Checkpoint(n, root, at, key, bytes)
            : throw new FormatException($"line 6: signature is 64 bytes in canonical base64, not {bytes.Length} bytes");
    }

    /// <exception cref="FormatException">the file is not a checkpoint; the message names the file and the line.</exception>
    public static Checkpoint Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path} is not a checkpoint: {e.Message}", e);
        }
    }

    private static string Body(long size, string root, DateTimeOffset time, string keyId) =>
        string.Create(CultureInfo.InvariantCulture, $"{Header}\nsize {size}\nroot {root}\ntime {EventHash.FormatTimestamp(time)}\nkey {keyId}\n");

    private static string Value(string[] lines, int index, string name) =>
        lines[index].StartsWith(name + " ", StringComparison.Ordinal)
            ? lines[index][(name.Length + 1)..]
            : throw new FormatException($"line {index + 1} must start with '{name} '");

    private static bool IsLowerHex(string text, int length) =>
        text.Length == length && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
