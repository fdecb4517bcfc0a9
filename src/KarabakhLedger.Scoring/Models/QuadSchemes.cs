using System.Reflection;
using System.Text.Json;
using KarabakhLedger.Domain.Cameo;

namespace KarabakhLedger.Scoring.Models;

/// <summary>
/// A versioned QuadClass scheme: which CAMEO root codes count as which quad. Producers differ
/// (shared/reference/formats.md): GDELT puts 09 and 14 in other quads than the icews R package does.
/// </summary>
public sealed record QuadScheme(string Id, int Version, string Description, IReadOnlyDictionary<string, QuadClass> ByRoot)
{
    public string Key => $"{Id}@{Version}";

    /// <summary>The quad of a CAMEO code, by its root (its first two digits).</summary>
    public QuadClass Of(string cameoCode) =>
        cameoCode.Length >= 2 && ByRoot.TryGetValue(cameoCode[..2], out var quad)
            ? quad
            : throw new KeyNotFoundException($"Quad scheme {Key} has no quad for CAMEO code '{cameoCode}'.");
}

/// <summary>The quad schemes shipped as data (<c>QuadSchemes/*.json</c>).</summary>
public sealed class QuadSchemes
{
    private readonly Dictionary<string, QuadScheme> _byKey;

    private QuadSchemes(IEnumerable<QuadScheme> schemes) => _byKey = schemes.ToDictionary(s => s.Key, StringComparer.Ordinal);

    public static QuadSchemes Bundled { get; } = new(Load());

    public IEnumerable<QuadScheme> All => _byKey.Values.OrderBy(s => s.Key, StringComparer.Ordinal);

    /// <summary>A scheme by <c>id@version</c>, or by id for its highest version.</summary>
    public QuadScheme Get(string key) =>
        _byKey.TryGetValue(key, out var scheme) ? scheme
        : _byKey.Values.Where(s => s.Id == key).MaxBy(s => s.Version)
          ?? throw new KeyNotFoundException($"No quad scheme '{key}'; known: {string.Join(", ", _byKey.Keys.Order(StringComparer.Ordinal))}.");

    private static IEnumerable<QuadScheme> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("KarabakhLedger.quad-schemes.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var root = JsonDocument.Parse(stream).RootElement;
            var byRoot = new Dictionary<string, QuadClass>(StringComparer.Ordinal);
            foreach (var range in root.GetProperty("roots").EnumerateArray())
            {
                var from = int.Parse(range.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                var to = int.Parse(range.GetProperty("to").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                for (var r = from; r <= to; r++)
                {
                    if (!byRoot.TryAdd(r.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), (QuadClass)range.GetProperty("quad").GetInt32()))
                    {
                        throw new InvalidDataException($"Quad scheme {name} puts root {r:D2} in two quads.");
                    }
                }
            }

            if (byRoot.Count != 20)
            {
                throw new InvalidDataException($"Quad scheme {name} covers {byRoot.Count} of CAMEO's 20 roots.");
            }

            yield return new QuadScheme(root.GetProperty("id").GetString()!, root.GetProperty("version").GetInt32(), root.GetProperty("description").GetString() ?? "", byRoot);
        }
    }
}
