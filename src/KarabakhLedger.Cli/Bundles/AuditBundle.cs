using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Cli.Bundles;

/// <summary>
/// One event of an audit bundle as stored, with the exact bytes its chain hash covers (<see cref="HashInput"/>,
/// base64) and its inclusion proof (<see cref="Proof"/>, hex, leaf level first) at the checkpoint's tree size.
/// </summary>
public sealed record BundleEvent(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    string Type,
    int SchemaVersion,
    string RecordedAt,
    string PreviousHash,
    string Hash,
    string Data,
    string HashInput,
    long LeafIndex,
    IReadOnlyList<string> Proof);

/// <summary>
/// A scoring model's data as a bundle carries it: numbers as decimal text. Its hash is the lower-case hex SHA-256 of
/// <see cref="CanonicalText"/> (docs/audit-bundle.md).
/// </summary>
public sealed record BundleModel(string Id, int Version, string HalfLifeDays, IReadOnlyDictionary<string, string> Weights)
{
    public const string Header = "karabakh-ledger scoring model v1";

    public static BundleModel Of(ScoringModel model) => new(
        model.Id,
        model.Version,
        LedgerJson.Format(model.HalfLifeDays),
        new SortedDictionary<string, string>(model.Weights.ToDictionary(w => w.Key, w => LedgerJson.Format(w.Value)), StringComparer.Ordinal));

    /// <summary>Header, id, version and half-life lines, then one <c>weight CODE VALUE</c> line per code in ordinal order, each ending in a line feed.</summary>
    public string CanonicalText()
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Header}\nid {Id}\nversion {Version}\nhalfLifeDays {HalfLifeDays}\n"));
        foreach (var (code, weight) in Weights.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"weight {code} {weight}\n");
        }

        return text.ToString();
    }

    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText())));
}

/// <summary>
/// An offline audit bundle (docs/audit-bundle.md): a score's derivation (as <c>ledger explain --json</c> prints it),
/// every event it rests on as stored with its inclusion proof, the signed checkpoint the proofs lead to, and the
/// scoring model's data with its hash. Everything <c>ledger verify-bundle</c> and <c>tools/verify_bundle.py</c> need.
/// </summary>
public sealed record AuditBundle(string Format, string Checkpoint, BundleModel Model, string ModelHash, JsonObject Derivation, IReadOnlyList<BundleEvent> Events)
{
    public const string FormatName = "karabakh-ledger audit bundle v1";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <exception cref="JsonException">the text is not a bundle's JSON, or a field is missing or null.</exception>
    public static AuditBundle Parse(string json) =>
        JsonSerializer.Deserialize<AuditBundle>(json, Options) ?? throw new JsonException("the bundle is JSON null");
}
