using System.Text.Json;
using KarabakhLedger.Projections.Storage;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// score, timeline and explain answer from the persisted projections when they are current, and through the silo
/// when the projections must catch up (ADR 22): both ways give the same bytes.
/// </summary>
public sealed class PersistedQueryTests
{
    private const string SiloLine = "Catching up the projections in a silo first: ";

    private const string NewInteraction = """
        {
          "type": "arms-sold", "cameoCode": "062", "initiator": "TUR", "target": "UKR", "occurredOn": "2024-03",
          "theatre": "black-sea-ukraine", "summary": "A further drone sale.",
          "sources": [ { "outlet": "Example", "title": "Drone deal", "url": "https://example.org/tb2-2024", "accessed": "2024-04-01" } ]
        }
        """;

    private static readonly string[][] Queries =
    [
        ["score", "TUR-UKR", "--json"],
        ["score", "ARM-AZE", "--json", "--known-at", "2026-11-23T12:30:00Z"],
        ["score", "TUR-RUS", "--as-of", "2020", "--known-at", "2026-11-23T15:00:00Z"],
        ["explain", "ARM-AZE", "--json", "--known-at", "2026-11-23T15:00:00Z"],
        ["explain", "TUR-UKR", "--as-of", "2023-06-30", "--known-at", "2026-11-23T15:00:00Z"],
        ["timeline", "ARM-AZE", "--from", "2015", "--to", "2022", "--bucket", "quarter", "--json", "--known-at", "2026-11-23T15:00:00Z"],
        ["timeline", "TUR-UKR", "--as-of", "2024", "--known-at", "2026-11-23T15:00:00Z"],
    ];

    [Fact]
    public async Task Every_query_gives_the_same_bytes_from_the_persisted_projections_and_from_the_silo()
    {
        var cli = await SeededWithAmendmentsAsync();

        foreach (var query in Queries)
        {
            var persisted = await cli.Run(query);
            DeleteProjections(cli);
            var silo = await cli.Run(query);

            var name = string.Join(' ', query);
            Assert.True(persisted.ExitCode == 0, $"{name}: {persisted.Error}");
            Assert.True(silo.ExitCode == 0, $"{name}: {silo.Error}");
            Assert.DoesNotContain(SiloLine, persisted.Error);
            Assert.Contains(SiloLine + "none are stored yet.", silo.Error);
            Assert.True(persisted.Out.Length > 200, $"{name}: {persisted.Out}");
            Assert.Equal(silo.Out, persisted.Out);
        }
    }

    [Fact]
    public async Task The_amendments_and_the_roll_up_are_in_the_persisted_answers()
    {
        var cli = await SeededWithAmendmentsAsync();
        var before = Json(await cli.Run("explain", "ARM-AZE", "--json", "--known-at", "2026-11-23T12:30:00Z"));
        var after = await cli.Run("explain", "ARM-AZE", "--json", "--known-at", "2026-11-23T15:00:00Z");
        var rolled = await cli.Run("score", "TUR-UKR", "--json");

        Assert.DoesNotContain(SiloLine, after.Error + rolled.Error);
        var contributions = Json(after).GetProperty("contributions").EnumerateArray().ToArray();
        Assert.Equal(before.GetProperty("contributions").GetArrayLength() - 1, contributions.Length);
        Assert.Contains(contributions, c => c.TryGetProperty("correctedBy", out var by) && by.ValueKind == JsonValueKind.String);
        Assert.Equal("BAYKAR-UKR", Assert.Single(Json(rolled).GetProperty("rolledUp").EnumerateArray()).GetProperty("dyad").GetString());
    }

    [Fact]
    public async Task An_event_appended_after_the_projections_were_persisted_takes_the_silo_and_is_counted()
    {
        var cli = await SeededWithAmendmentsAsync();
        var current = await cli.Run("score", "TUR-UKR", "--json");
        cli.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await cli.RunWithInput(NewInteraction, "record")).ExitCode);

        var stale = await cli.Run("score", "TUR-UKR", "--json");
        var again = await cli.Run("score", "TUR-UKR", "--json");
        DeleteProjections(cli);
        var rebuilt = await cli.Run("score", "TUR-UKR", "--json");

        Assert.DoesNotContain(SiloLine, current.Error);
        var behind = System.Text.RegularExpressions.Regex.Match(stale.Error, @"^Catching up the projections in a silo first: they stand at position (\d+), the ledger at (\d+)\.\r?\n$");
        Assert.True(behind.Success, stale.Error);
        Assert.Equal(long.Parse(behind.Groups[1].Value) + 1, long.Parse(behind.Groups[2].Value));
        Assert.True(stale.ExitCode == 0, stale.Error);
        Assert.Equal(Json(current).GetProperty("events").GetInt32() + 1, Json(stale).GetProperty("events").GetInt32());
        Assert.Equal("", again.Error);
        Assert.Equal(rebuilt.Out, stale.Out);
        Assert.Equal(rebuilt.Out, again.Out);
    }

    [Fact]
    public async Task Projections_left_by_another_ledger_in_the_same_place_are_not_read()
    {
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var first = await cli.Run("score", "TUR-UKR", "--json");
        Assert.Equal("", (await cli.Run("score", "TUR-UKR", "--json")).Error);
        SqliteFiles.Delete(cli.StorePath);
        cli.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var other = await cli.Run("score", "TUR-UKR", "--json", "--known-at", "2026-11-25");
        var before = Json(first);

        Assert.Contains(SiloLine + "their checkpoint ", other.Error);
        Assert.Contains(" is not an event of this ledger.", other.Error);
        Assert.Equal(before.GetProperty("events").GetInt32(), Json(other).GetProperty("events").GetInt32());
        Assert.NotEqual(before.GetProperty("digest").GetString(), Json(other).GetProperty("digest").GetString());
    }

    /// <summary>The seed corpus, an ARM-AZE event corrected and another retracted (two hours later), and the projections caught up.</summary>
    private static async Task<CliRunner> SeededWithAmendmentsAsync()
    {
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var first = Json(await cli.Run("explain", "ARM-AZE", "--json"));
        var target = first.GetProperty("contributions")[0];
        var retracted = first.GetProperty("contributions")[1].GetProperty("eventId").GetString();
        var (correction, _) = ProjectionCommandTests.Recoding(target);
        var retraction = $$"""{ "retracts": "{{retracted}}", "reason": "Miscoded.", "sources": [ { "outlet": "Example", "title": "Check", "url": "https://example.org/check", "accessed": "2026-11-01" } ] }""";

        cli.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await cli.RunWithInput(correction, "record")).ExitCode);
        Assert.Equal(0, (await cli.RunWithInput(retraction, "record")).ExitCode);
        Assert.Contains(SiloLine, (await cli.Run("score", "ARM-AZE")).Error);
        return cli;
    }

    private static void DeleteProjections(CliRunner cli) => SqliteFiles.Delete(SqliteSnapshotStore.PathBesideLedger(cli.StorePath));

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement;
    }
}
