using System.Text.Json.Nodes;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// A large recording file for the kill tests: <c>acts</c> three-party talks, each fanned out to three dyad events over
/// seven states, so one append spans many streams.
/// </summary>
internal static class SyntheticTalks
{
    /// <summary>Dyad events each act fans out to.</summary>
    public const int EventsPerAct = 3;

    /// <summary>The recording JSON; <paramref name="batch"/> keeps the summaries of different batches distinct.</summary>
    public static string Json(int acts, int batch)
    {
        var parties = new[] { "ARM", "AZE", "RUS", "TUR", "UKR", "GEO", "IRN" };
        var array = new JsonArray();
        for (var i = 0; i < acts; i++)
        {
            array.Add(new JsonObject
            {
                ["type"] = "talks-held",
                ["cameoCode"] = "046",
                ["participants"] = new JsonArray(parties[i % 7], parties[(i + 1) % 7], parties[(i + 3) % 7]),
                ["occurredOn"] = $"{2000 + i % 23}-{1 + i % 12:D2}",
                ["theatre"] = "south-caucasus",
                ["summary"] = $"Round {i} of synthetic talks, batch {batch}.",
                ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "Test", ["title"] = "Synthetic", ["document"] = "none", ["passage"] = $"act {batch}.{i}" }),
            });
        }

        return array.ToJsonString();
    }
}
