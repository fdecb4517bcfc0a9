using System.Globalization;
using KarabakhLedger.Domain.Dyads;

namespace KarabakhLedger.Projections.Contracts;

/// <summary>
/// The keys of the projection grains. A projection generation is one complete set of dyad grains built by one
/// feed; the live generation and a replay in progress live side by side under different numbers.
/// <list type="bullet">
/// <item>registry: <see cref="Registry"/> (one per cluster);</item>
/// <item>feed of generation <c>g</c>: <c>"g"</c>, e.g. <c>"1"</c> (one per generation);</item>
/// <item>dyad grain: <c>"g/DYAD"</c>, e.g. <c>"1/RUS-TUR"</c>;</item>
/// <item>roll-up index of a country dyad: <c>"g/DYAD"</c> too, e.g. <c>"1/TUR-UKR"</c> (another grain type).</item>
/// </list>
/// </summary>
public static class ProjectionKeys
{
    public const string Registry = "projections";

    public static string Feed(int generation) => Generation(generation).ToString(CultureInfo.InvariantCulture);

    public static string Dyad(int generation, Dyad dyad) => $"{Generation(generation).ToString(CultureInfo.InvariantCulture)}/{dyad.Key}";

    public static string RollupIndex(int generation, Dyad countryDyad) => Dyad(generation, countryDyad);

    public static int ParseFeed(string key) =>
        int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var generation) && generation > 0
            ? generation
            : throw new FormatException($"'{key}' is not a feed key: expected a generation number such as 1.");

    public static (int Generation, Dyad Dyad) ParseDyad(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new FormatException($"'{key}' is not a dyad grain key: expected <generation>/<dyad>, e.g. 1/RUS-TUR.");
        }

        return (ParseFeed(key[..slash]), Domain.Dyads.Dyad.Parse(key[(slash + 1)..]));
    }

    /// <summary>The generation a dyad or roll-up index key (<c>"g/DYAD"</c>) belongs to; false for any other key.</summary>
    public static bool TryParseGeneration(string key, out int generation)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        generation = 0;
        return slash > 0 && int.TryParse(key.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out generation) && generation > 0;
    }

    private static int Generation(int generation) =>
        generation > 0 ? generation : throw new ArgumentOutOfRangeException(nameof(generation), generation, "Generations are numbered from 1.");
}
