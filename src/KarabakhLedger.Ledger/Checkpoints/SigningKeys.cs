using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace KarabakhLedger.Ledger.Checkpoints;

/// <summary>
/// The ledger's Ed25519 signing key (docs/checkpoints.md). It lives in a file outside the ledger's database, PEM
/// (PKCS #8, <c>-----BEGIN PRIVATE KEY-----</c>), readable by its owner only; its public half is a PEM SPKI file
/// (<c>-----BEGIN PUBLIC KEY-----</c>) that anyone may have.
/// </summary>
public sealed class LedgerSigningKey : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;

    private LedgerSigningKey(Key key)
    {
        _key = key;
        Public = new LedgerVerifyingKey(key.PublicKey);
    }

    public LedgerVerifyingKey Public { get; }

    public string KeyId => Public.KeyId;

    public static LedgerSigningKey Create() =>
        new(Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>The private key as PEM text; write it only to a file of mode 0600.</summary>
    public string ExportPrivatePem() => Encoding.ASCII.GetString(_key.Export(KeyBlobFormat.PkixPrivateKeyText));

    public byte[] Sign(ReadOnlySpan<byte> message) => Algorithm.Sign(_key, message);

    /// <summary>Writes a new key pair: <c>DIR/ledger-signing.key</c> (mode 0600) and <c>DIR/ledger-signing.pub</c>.</summary>
    /// <exception cref="IOException">either file already exists: a key is never overwritten.</exception>
    public static (string PrivatePath, string PublicPath, string KeyId) CreateFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var privatePath = Path.GetFullPath(Path.Combine(directory, "ledger-signing.key"));
        var publicPath = Path.GetFullPath(Path.Combine(directory, "ledger-signing.pub"));
        foreach (var path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path))
            {
                throw new IOException($"{path} already exists; a signing key is never overwritten (move it away first)");
            }
        }

        using var key = Create();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(privatePath, Encoding.ASCII, options))
        {
            writer.Write(key.ExportPrivatePem());
        }

        File.WriteAllText(publicPath, key.Public.ExportPem(), Encoding.ASCII);
        return (privatePath, publicPath, key.KeyId);
    }

    /// <summary>Reads a private key file; refuses one that others can read.</summary>
    /// <exception cref="InvalidDataException">the file is not an Ed25519 private key in PEM, or its mode lets others read it.</exception>
    public static LedgerSigningKey Load(string path)
    {
        if (!OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidDataException($"{path} can be read or written by others than its owner; make it private first (chmod 600 '{path}')");
        }

        var blob = File.ReadAllBytes(path);
        return Key.TryImport(Algorithm, blob, KeyBlobFormat.PkixPrivateKeyText, out var key, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }) && key is not null
            ? new LedgerSigningKey(key)
            : throw new InvalidDataException($"{path} is not an Ed25519 private key in PEM (-----BEGIN PRIVATE KEY-----)");
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>The public half of a <see cref="LedgerSigningKey"/>: checks signatures, and names the key by <see cref="KeyId"/>.</summary>
public sealed class LedgerVerifyingKey
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly PublicKey _key;

    internal LedgerVerifyingKey(PublicKey key)
    {
        _key = key;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key.Export(KeyBlobFormat.RawPublicKey))[..8]);
    }

    /// <summary>The first 8 bytes of SHA-256 over the raw 32-byte public key, as 16 lower-case hex digits.</summary>
    public string KeyId { get; }

    public string ExportPem() => Encoding.ASCII.GetString(_key.Export(KeyBlobFormat.PkixPublicKeyText));

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => Algorithm.Verify(_key, message, signature);

    /// <exception cref="InvalidDataException">the text is not an Ed25519 public key in PEM.</exception>
    public static LedgerVerifyingKey Parse(string pem, string source) =>
        PublicKey.TryImport(Algorithm, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPublicKeyText, out var key) && key is not null
            ? new LedgerVerifyingKey(key)
            : throw new InvalidDataException($"{source} is not an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----)");

    public static LedgerVerifyingKey Load(string path) => Parse(File.ReadAllText(path), path);
}
