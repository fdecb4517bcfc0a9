using System.Globalization;
using System.Reflection;
using System.Text.Json;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Scoring.Dedup;

namespace KarabakhLedger.Scoring.Models;

/// <summary>
/// The scoring models shipped as data (<c>Models/*.json</c>), plus any <c>*.json</c> model files in an extra
/// folder. A model names a bundled reference table and its code and weight columns, optional override tables
/// applied in order, its half-life, its quad scheme and the dedup rules it applies (<c>dedup</c>, in order; none when absent). <see cref="Default"/> is model 1, <c>goldstein-gdelt@1</c>.
/// </summary>
public sealed class ModelCatalog
{
    public const string DefaultKey = "goldstein-gdelt@1";

    private readonly Dictionary<string, ScoringModel> _byKey;

    private ModelCatalog(IEnumerable<ScoringModel> models)
    {
        _byKey = new Dictionary<string, ScoringModel>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            if (!_byKey.TryAdd(model.Key, model))
            {
                throw new InvalidDataException($"Two scoring models are named {model.Key}.");
            }
        }
    }

    public static ModelCatalog Bundled { get; } = new(LoadBundled());

    public IEnumerable<ScoringModel> All => _byKey.Values.OrderBy(m => m.Key, StringComparer.Ordinal);

    public ScoringModel Default => Get(DefaultKey);

    /// <summary>The bundled models and those in <paramref name="folder"/> (<c>*.json</c>).</summary>
    public static ModelCatalog WithFolder(string folder) =>
        new(LoadBundled().Concat(Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(path => Parse(File.ReadAllText(path), path))));

    /// <summary>A model by <c>id@version</c>, or by id alone for its highest version.</summary>
    public ScoringModel Get(string key)
    {
        if (_byKey.TryGetValue(key, out var model))
        {
            return model;
        }

        var latest = _byKey.Values.Where(m => m.Id == key).MaxBy(m => m.Version);
        return latest ?? throw new KeyNotFoundException(
            $"No scoring model '{key}'; known: {string.Join(", ", _byKey.Keys.Order(StringComparer.Ordinal))}.");
    }

    public static ScoringModel Parse(string json, string origin)
    {
        try
        {
            var root = JsonDocument.Parse(json).RootElement;
            var weights = Table(root.GetProperty("weights"), new Dictionary<string, decimal>(StringComparer.Ordinal));
            if (root.TryGetProperty("overrides", out var overrides))
            {
                foreach (var table in overrides.EnumerateArray())
                {
                    Table(table, weights);
                }
            }

            return new ScoringModel(
                root.GetProperty("id").GetString()!,
                root.GetProperty("version").GetInt32(),
                root.GetProperty("description").GetString() ?? "",
                weights,
                root.GetProperty("halfLifeDays").GetDecimal())
            {
                QuadScheme = root.TryGetProperty("quadScheme", out var scheme) ? QuadSchemes.Bundled.Get(scheme.GetString()!).Key : "gdelt@1",
                Dedup = root.TryGetProperty("dedup", out var dedup) ? DedupRulesOf(dedup) : [],
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"Scoring model {origin} is invalid: {e.Message}", e);
        }
    }

    private static DedupRule[] DedupRulesOf(JsonElement list)
    {
        var rules = list.EnumerateArray().Select(r => DedupRules.Get(r.GetString()!)).ToArray();
        return rules.DistinctBy(r => r.Key).Count() == rules.Length
            ? rules
            : throw new ArgumentException("dedup lists a rule twice.");
    }

    private static Dictionary<string, decimal> Table(JsonElement spec, Dictionary<string, decimal> weights)
    {
        var code = spec.GetProperty("code").GetString()!;
        var weight = spec.GetProperty("weight").GetString()!;
        foreach (var row in ReferenceTable.Read(spec.GetProperty("table").GetString()!))
        {
            if (row[weight].Length > 0)
            {
                weights[row[code]] = decimal.Parse(row[weight], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return weights;
    }

    private static IEnumerable<ScoringModel> LoadBundled()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("KarabakhLedger.models.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return Parse(reader.ReadToEnd(), name);
        }
    }
}
