using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KarabakhLedger.Benchmarks.Service;

/// <summary>
/// Bodies of <c>POST /api/interactions</c> in the recording format (docs/recording-format.md): valid bilateral
/// interactions, each distinct (a fresh summary, so a new content id and a new event), cycling over the given dyads.
/// </summary>
internal sealed class InteractionBodies((string Initiator, string Target)[] dyads)
{
    private static readonly string[] Theatres = ["black-sea-ukraine", "south-caucasus", "middle-east", "europe"];
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _counter;

    private static readonly string[] States =
        ["ARM", "AZE", "BGR", "BLR", "CHN", "CYP", "DEU", "EGY", "ARE", "FRA", "GBR", "GEO", "GRC", "IRN", "IRQ", "ISR", "KAZ", "LBY",
         "MDA", "POL", "QAT", "ROU", "RUS", "SAU", "SYR", "TUR", "UKR", "USA"];

    /// <summary>
    /// Dyads the seed corpus does not touch, for the record-throughput phase (which so leaves the queried dyads
    /// alone): these 8 first, then every other pair of states the seed corpus does not name, 300 or so in all.
    /// </summary>
    public static (string, string)[] FreshDyads(int count)
    {
        (string, string)[] first =
            [("BGR", "ROU"), ("GEO", "CHN"), ("DEU", "FRA"), ("GBR", "USA"), ("GRC", "CYP"), ("IRN", "IRQ"), ("ISR", "QAT"), ("MDA", "POL")];
        var seeded = Corpus.SeedCorpus.Load().OfType<Domain.Recording.InteractionRecording>()
            .SelectMany(r => r.Events).Select(e => e.Dyad.Key).ToHashSet(StringComparer.Ordinal);
        var key = ((string A, string B) d) => Domain.Dyads.Dyad.Parse($"{d.A}-{d.B}").Key;
        var rest = States.SelectMany((a, i) => States.Skip(i + 1).Select(b => (a, b)))
            .Where(d => !seeded.Contains(key(d)) && !first.Any(f => key(f) == key(d)));
        var all = first.Concat(rest).ToArray();
        return count <= all.Length ? all[..count] : throw new ArgumentOutOfRangeException(nameof(count), $"at most {all.Length} fresh dyads");
    }

    /// <summary>Seed-corpus dyads for the subscription phase: RUS-TUR (the busiest) every other append.</summary>
    public static (string, string)[] SeedDyads { get; } =
        [("RUS", "TUR"), ("ARM", "AZE"), ("TUR", "RUS"), ("TUR", "UKR"), ("RUS", "TUR"), ("RUS", "UKR")];

    public string Next()
    {
        var n = _counter++;
        var (initiator, target) = dyads[n % dyads.Length];
        var day = new DateOnly(2023, 1, 1).AddDays(n % 365);
        return new JsonObject
        {
            ["type"] = "talks-held",
            ["cameoCode"] = "036",
            ["initiator"] = initiator,
            ["target"] = target,
            ["joint"] = true,
            ["occurredOn"] = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["theatre"] = Theatres[n % Theatres.Length],
            ["summary"] = $"Benchmark talks {_run}-{n}: delegations meet to discuss transit, trade and the schedule of the next round.",
            ["sources"] = new JsonArray(new JsonObject
            {
                ["outlet"] = "Benchmark Wire",
                ["title"] = $"Delegations meet, round {n}",
                ["url"] = $"https://example.org/bench/{_run}/{n}",
                ["accessed"] = "2024-01-15",
            }),
        }.ToJsonString();
    }

    public static HttpRequestMessage Post(string body) =>
        new(HttpMethod.Post, "/api/interactions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>The events a 201 answer lists.</summary>
    public static long EventCount(string answer)
    {
        using var json = JsonDocument.Parse(answer);
        return json.RootElement.GetProperty("events").GetArrayLength();
    }

    /// <summary>The global position of the first event a 201 answer lists.</summary>
    public static long FirstPosition(string answer)
    {
        using var json = JsonDocument.Parse(answer);
        return json.RootElement.GetProperty("events")[0].GetProperty("position").GetInt64();
    }
}
