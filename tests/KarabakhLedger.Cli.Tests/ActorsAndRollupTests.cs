using System.Text.Json;
using KarabakhLedger.Cli.Hosting;

namespace KarabakhLedger.Cli.Tests;

/// <summary>Actors by name, and country dyads that roll up their companies' events, through the real command line.</summary>
public sealed class ActorsAndRollupTests
{
    private static readonly string[] RoleProperties = ["initiatorRole", "targetRole"];

    [Fact]
    public async Task Actors_lists_every_ISO_state_and_CAMEO_organisations_and_searches_by_name()
    {
        var cli = new CliRunner();
        var all = await cli.Run("actors");
        Assert.Equal(0, all.ExitCode);
        Assert.Contains(" JPN ", all.Out);
        Assert.Contains(" OPC ", all.Out);
        Assert.Contains(" NATO ", all.Out);

        var search = await cli.Run("actors", "--search", "turk");
        Assert.Contains(" TUR ", search.Out);
        Assert.DoesNotContain(" RUS ", search.Out);
        var bad = await cli.Run("actors", "--kind", "planet");
        Assert.Equal(ExitCodes.InvalidInput, bad.ExitCode);
        Assert.Contains("kind: must be one of", bad.Error);
    }

    [Fact]
    public async Task A_country_dyad_by_name_rolls_up_Baykar_and_events_and_export_agree()
    {
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);

        var score = await cli.Run("score", "Türkiye-Ukraine", "--json");
        Assert.True(score.ExitCode == 0, score.Error);
        var result = JsonDocument.Parse(score.Out).RootElement;
        Assert.Equal("TUR-UKR", result.GetProperty("dyad").GetString());
        var rolled = Assert.Single(result.GetProperty("rolledUp").EnumerateArray());
        Assert.Equal("BAYKAR-UKR", rolled.GetProperty("dyad").GetString());

        var explain = JsonDocument.Parse((await cli.Run("explain", "turkey-ukraine", "--json")).Out).RootElement;
        var fromBaykar = explain.GetProperty("contributions").EnumerateArray().Where(c => c.GetProperty("recordedDyad").GetString() == "BAYKAR-UKR").ToArray();
        Assert.Equal(rolled.GetProperty("events").GetInt32(), fromBaykar.Length);
        Assert.All(fromBaykar, c => Assert.Equal("TUR-UKR", c.GetProperty("countedToward").GetString()));

        var events = await cli.Run("events", "--dyad", "TUR-UKR");
        Assert.Contains("BAYKAR-UKR", events.Out);
        Assert.Contains("arms-donated", events.Out);

        var export = await cli.Run("export", "--format", "jsonl");
        var rows = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var baykar = rows.Where(r => r.GetProperty("dyad").GetString() == "BAYKAR-UKR").ToArray();
        Assert.NotEmpty(baykar);
        Assert.All(baykar, r => Assert.Equal("TUR-UKR", r.GetProperty("countryDyad").GetString()));
        Assert.All(rows.Where(r => r.GetProperty("dyad").GetString() == "RUS-TUR"), r => Assert.Equal("RUS-TUR", r.GetProperty("countryDyad").GetString()));
        Assert.All(baykar, r => Assert.Contains("BUS", RoleProperties.Select(p => r.TryGetProperty(p, out var role) ? role.GetString() : null)));
    }

    [Fact]
    public async Task An_unknown_name_fails_with_suggestions_and_no_stack_trace()
    {
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var result = await cli.Run("score", "Turkey-Rusia");
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("did you mean", result.Error);
        Assert.Contains("(RUS)", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
