using System.Text.Json;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Cli.Tests;

/// <summary>score, timeline, explain, replay and models through an in-process Orleans silo on a real SQLite ledger.</summary>
public sealed class ProjectionCommandTests
{
    private static readonly string[] RecordedYears = ["2015", "2020", "2021", "2022"];
    private static readonly string[] SeededTheatres = ["syria", "south-caucasus", "black-sea-ukraine"];

    private static async Task<CliRunner> Seeded()
    {
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        return cli;
    }

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement;
    }

    [Fact]
    public async Task Explain_lists_contributions_that_add_up_exactly_to_the_score()
    {
        var cli = await Seeded();

        var explain = Json(await cli.Run("explain", "TUR-RUS", "--json"));
        var score = Json(await cli.Run("score", "RUS-TUR", "--json"));

        var contributions = explain.GetProperty("contributions").EnumerateArray().ToArray();
        Assert.NotEmpty(contributions);
        Assert.Equal(explain.GetProperty("score").GetDecimal(), contributions.Sum(c => c.GetProperty("value").GetDecimal()));
        Assert.All(contributions, c =>
        {
            Assert.Equal(Math.Round(c.GetProperty("weight").GetDecimal() * c.GetProperty("decayFactor").GetDecimal(), 6, MidpointRounding.ToEven), c.GetProperty("value").GetDecimal());
            Assert.NotEmpty(c.GetProperty("sources").EnumerateArray());
            Assert.Matches("^[0-9a-f]{64}$", c.GetProperty("hash").GetString());
        });
        Assert.Equal(explain.GetProperty("digest").GetString(), score.GetProperty("digest").GetString());
        Assert.Equal("goldstein-gdelt", score.GetProperty("model").GetProperty("id").GetString());
        Assert.Equal(0, score.GetProperty("contributions").GetArrayLength());
    }

    [Fact]
    public async Task As_of_and_known_at_change_what_counts()
    {
        var cli = await Seeded();

        var before = Json(await cli.Run("score", "TUR-RUS", "--as-of", "2022-02-23", "--json"));
        var after = Json(await cli.Run("score", "TUR-RUS", "--as-of", "2022", "--json"));
        var unknownYet = Json(await cli.Run("score", "TUR-RUS", "--known-at", "2026-11-22", "--json"));

        Assert.True(after.GetProperty("events").GetInt32() > before.GetProperty("events").GetInt32());
        Assert.Equal("2022-12-31", after.GetProperty("asOf").GetString());
        Assert.Equal(0, unknownYet.GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Score_says_that_decay_counts_from_the_as_of_date_beside_the_undecayed_net()
    {
        var cli = await Seeded();

        var early = await cli.Run("score", "TUR-RUS", "--as-of", "2016");
        var late = Json(await cli.Run("score", "TUR-RUS", "--as-of", "2016-06-30", "--json"));

        Assert.Equal(0, early.ExitCode);
        Assert.Contains("score: the net with each event's value halved every 365 days of its age at the as-of date, 2016-12-31; cooperation, conflict and net are not decayed", early.Out, StringComparison.Ordinal);
        Assert.NotEqual(late.GetProperty("net").GetDecimal(), late.GetProperty("score").GetDecimal());
    }

    [Fact]
    public async Task Timeline_by_year_draws_a_chart()
    {
        var cli = await Seeded();
        var png = CliRunner.NewPath(".png");
        var svg = CliRunner.NewPath(".svg");

        var table = await cli.Run("timeline", "TUR-RUS", "--from", "2015", "--to", "2022", "--chart", png);
        var json = Json(await cli.Run("timeline", "TUR-RUS", "--from", "2015", "--to", "2022", "--bucket", "quarter", "--json", "--chart", svg));
        var bad = await cli.Run("timeline", "TUR-RUS", "--chart", CliRunner.NewPath(".gif"));

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("2015", table.Out);
        Assert.Contains("2022", table.Out);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(png)[..4]);
        Assert.Contains("<svg", File.ReadAllText(svg));
        Assert.Contains("cooperation vs conflict", File.ReadAllText(svg), StringComparison.Ordinal);
        Assert.Contains("cooperation vs conflict", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("competition", table.Out + File.ReadAllText(svg), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(32, json.GetProperty("points").GetArrayLength());
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--chart", bad.Error);
    }

    [Fact]
    public async Task A_timeline_is_titled_with_the_dyad_as_asked_in_either_order()
    {
        var cli = await Seeded();
        var svg = CliRunner.NewPath(".svg");

        var asked = await cli.Run("timeline", "TUR-RUS", "--from", "2015", "--to", "2022", "--chart", svg);
        var reversed = await cli.Run("timeline", "RUS-TUR", "--from", "2015", "--to", "2022");
        var byName = await cli.Run("timeline", "Türkiye-RUS", "--from", "2015", "--to", "2022");

        Assert.Contains("TUR-RUS: cooperation vs conflict", asked.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("RUS-TUR: cooperation", asked.Out, StringComparison.Ordinal);
        Assert.Contains("TUR-RUS: cooperation vs conflict", File.ReadAllText(svg), StringComparison.Ordinal);
        Assert.Contains("RUS-TUR: cooperation vs conflict", reversed.Out, StringComparison.Ordinal);
        Assert.Contains("TUR-RUS: cooperation vs conflict", byName.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_query_names_the_option_without_claiming_that_nothing_was_written()
    {
        var cli = await Seeded();

        var refused = await cli.Run("timeline", "TUR-RUS", "--from", "2022", "--to", "2015");

        Assert.Equal(ExitCodes.InvalidInput, refused.ExitCode);
        Assert.Equal($"error: the request was refused.{Environment.NewLine}  --from: must not be after '--to' (default: the as-of date){Environment.NewLine}", refused.Error);
    }

    [Fact]
    public async Task A_timeline_that_ends_before_the_first_interaction_is_the_ends_period_with_no_data()
    {
        var cli = await Seeded();

        var early = await cli.Run("timeline", "TUR-RUS", "--to", "2010", "--json");

        Assert.Equal(0, early.ExitCode);
        var points = Json(early).GetProperty("points").EnumerateArray().ToArray();
        var point = Assert.Single(points);
        Assert.Equal("2010", point.GetProperty("label").GetString());
        Assert.Equal(0, point.GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task The_timeline_table_shows_periods_without_events_as_no_data_as_the_web_UI_does()
    {
        var cli = await Seeded();

        var table = await cli.Run("timeline", "TUR-RUS", "--from", "2015", "--to", "2022");

        Assert.True(table.ExitCode == 0, table.Error);
        var rows = table.Out.Split('\n').Where(l => l.Contains("│ 20", StringComparison.Ordinal)).ToDictionary(l => l.Split('│')[1].Trim());
        Assert.Equal(8, rows.Count);
        foreach (var year in new[] { "2016", "2017", "2018", "2019" })
        {
            Assert.Contains("no data", rows[year], StringComparison.Ordinal);
            Assert.DoesNotContain("│ 0 ", rows[year], StringComparison.Ordinal);
        }

        Assert.All(RecordedYears, year => Assert.DoesNotContain("no data", rows[year], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Timeline_without_from_starts_at_the_first_counted_interaction_as_theatres_and_the_api_do()
    {
        var cli = await Seeded();

        var timeline = Json(await cli.Run("timeline", "TUR-RUS", "--json", "--as-of", "2030-06-30"));
        var explain = Json(await cli.Run("explain", "TUR-RUS", "--json", "--as-of", "2030-06-30"));
        var theatres = Json(await cli.Run("theatres", "TUR-RUS", "--json", "--as-of", "2030-06-30"));

        var labels = timeline.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToArray();
        var firstYear = explain.GetProperty("contributions").EnumerateArray().Min(c => c.GetProperty("occurredOn").GetString()![..4]);
        Assert.Equal(firstYear, labels[0]);
        Assert.Equal("2030", labels[^1]);
        Assert.Equal(
            labels,
            theatres.GetProperty("theatres")[0].GetProperty("points").EnumerateArray().Select(p => p.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Theatres_splits_the_timeline_by_theatre_and_diff_compares_two_models_period_by_period()
    {
        var cli = await Seeded();

        var theatres = await cli.Run("theatres", "TUR-RUS", "--from", "2020", "--to", "2020");
        var json = Json(await cli.Run("theatres", "TUR-RUS", "--json"));
        var timeline = Json(await cli.Run("timeline", "TUR-RUS", "--from", "2015", "--json"));
        var diff = await cli.Run("diff", "TUR-RUS", "--against", "goldstein-icews@1");
        var unknown = await cli.Run("diff", "TUR-RUS", "--against", "plover@7");
        var missing = await cli.Run("diff", "TUR-RUS");

        Assert.True(theatres.ExitCode == 0, theatres.Error);
        Assert.All(SeededTheatres, t => Assert.Contains(t, theatres.Out, StringComparison.Ordinal));
        // Per period, the theatres' events add up to the timeline's.
        var perTheatre = json.GetProperty("theatres").EnumerateArray().Select(t => t.GetProperty("points").EnumerateArray().ToArray()).ToArray();
        var points = timeline.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(points.Length, perTheatre[0].Length);
        for (var i = 0; i < points.Length; i++)
        {
            Assert.Equal(points[i].GetProperty("events").GetInt32(), perTheatre.Sum(t => t[i].GetProperty("events").GetInt32()));
            Assert.Equal(points[i].GetProperty("net").GetDecimal(), perTheatre.Sum(t => t[i].GetProperty("net").GetDecimal()));
        }

        Assert.True(diff.ExitCode == 0, diff.Error);
        Assert.Contains("goldstein-gdelt@1 against goldstein-icews@1", diff.Out, StringComparison.Ordinal);
        Assert.Contains("No period differs", diff.Out, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--against: No scoring model 'plover@7'", unknown.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("--against", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_under_another_model_makes_it_live()
    {
        var cli = await Seeded();

        var replay = await cli.Run("replay", "--model", "goldstein-icews");
        var score = Json(await cli.Run("score", "RUS-TUR", "--model", "goldstein-icews@1", "--json"));
        var unknown = await cli.Run("score", "RUS-TUR", "--model", "plover@7");

        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Contains("goldstein-icews@1", replay.Out);
        Assert.Contains("is live", replay.Out);
        Assert.Equal("goldstein-icews", score.GetProperty("model").GetProperty("id").GetString());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--model: No scoring model 'plover@7'", unknown.Error);
    }

    [Fact]
    public async Task A_recorded_correction_shows_in_the_next_score()
    {
        var cli = await Seeded();
        var first = Json(await cli.Run("explain", "ARM-AZE", "--json"));
        var target = first.GetProperty("contributions")[0];
        cli.Clock.Advance(TimeSpan.FromHours(2));
        var (correction, recoded) = Recoding(target);

        Assert.Equal(0, (await cli.RunWithInput(correction, "record")).ExitCode);
        var second = Json(await cli.Run("explain", "ARM-AZE", "--json"));
        var knownBefore = Json(await cli.Run("explain", "ARM-AZE", "--json", "--known-at", "2026-11-23T12:30:00Z"));

        var corrected = second.GetProperty("contributions").EnumerateArray().Single(c => c.GetProperty("eventId").GetString() == target.GetProperty("eventId").GetString());
        Assert.Equal(recoded, corrected.GetProperty("cameoCode").GetString());
        Assert.Equal(first.GetProperty("digest").GetString(), knownBefore.GetProperty("digest").GetString());
        Assert.NotEqual(first.GetProperty("digest").GetString(), second.GetProperty("digest").GetString());
    }

    /// <summary>
    /// A correction of the seed's ARM-AZE contribution <paramref name="target"/> (from <c>explain --json</c>) that
    /// re-codes it to the first other CAMEO code its type admits, and that code.
    /// </summary>
    internal static (string Correction, string CameoCode) Recoding(JsonElement target)
    {
        var type = target.GetProperty("type").GetString()!;
        var recoded = CameoCatalog.Default.All.Select(e => e.Code).Order(StringComparer.Ordinal)
            .First(code => code != target.GetProperty("cameoCode").GetString() && InteractionTyping.Default.For(type).Admits(code));
        var correction = $$"""
            { "corrects": "{{target.GetProperty("eventId").GetString()}}", "reason": "Re-coded.",
              "sources": [ { "outlet": "o", "title": "t", "document": "d", "passage": "p" } ],
              "with": { "type": "{{type}}", "cameoCode": "{{recoded}}",
                "initiator": "ARM", "target": "AZE", "joint": true, "occurredOn": "{{target.GetProperty("occurredOn").GetString()}}",
                "theatre": "south-caucasus", "summary": "Corrected.", "sources": [ { "outlet": "o", "title": "t", "document": "d", "passage": "p" } ] } }
            """;
        return (correction, recoded);
    }

    [Fact]
    public async Task Models_lists_the_bundled_models()
    {
        var result = await new CliRunner().Run("models");

        Assert.Contains("goldstein-gdelt@1", result.Out);
        Assert.Contains("goldstein-icews@1", result.Out);
    }
}
