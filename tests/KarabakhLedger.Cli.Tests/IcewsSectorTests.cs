using System.Text.Json;

namespace KarabakhLedger.Cli.Tests;

/// <summary>ICEWS sectors become CAMEO role codes (docs/actors.md, "ICEWS sectors"), and the events still roll up to their states.</summary>
public sealed class IcewsSectorTests
{
    private static string Line(long id, string source, string sourceSectors, string sourceCountry, string code, string intensity, string target, string targetSectors, string targetCountry) =>
        string.Join('\t', id, "2018-01-03", source, sourceSectors, sourceCountry, "text", code, intensity, target, targetSectors, targetCountry,
            47400000 + id, "1", "Agence France-Presse", "NA", "NA", "NA", targetCountry, "0", "0");

    [Fact]
    public async Task Sectors_map_to_the_most_specific_role_and_roll_up_to_the_state_dyad()
    {
        var cli = new CliRunner();
        var file = EventDataFiles.Write("events.2018.tab", EventDataFiles.Icews([], [
            Line(27000001, "Police (Nigeria)", "Police,Government", "Nigeria", "173", "-5", "Citizen (Niger)", "NA", "Niger"),
            Line(27000002, "Military (Syria)", "Army,Military,Government", "Syria", "190", "-10", "Armed Rebel (Syria)", "Rebel", "Turkey"),
            Line(27000003, "Recep Tayyip Erdoğan", "Elite,Executive,Executive Office,Government", "Turkey", "036", "4", "Vladimir Putin", "Elite,Executive,Executive Office,Government", "Russian Federation"),
            Line(27000004, "Insurgent (Afghanistan)", "Insurgents,Dissident", "Afghanistan", "180", "-9", "Ministry (Pakistan)", "Government,Ministry", "Pakistan"),
            Line(27000005, "Ethnic Group (Armenia)", "Ethnic", "Armenia", "010", "0", "Legislature (Azerbaijan)", "Legislative / Parliamentary,Government", "Azerbaijan"),
        ]));

        var import = await cli.Run("import", "--format", "icews", file);
        var export = (await cli.Run("export", "--provenance", "icews")).Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();

        Assert.StartsWith("5 rows: 5 imported, 0 already there, 0 rejected", import.Out);
        Assert.Equal(
            ["NGACOP NER NER-NGA", "SYRMIL TURREB SYR-TUR", "TURGOV RUSGOV RUS-TUR", "AFGINS PAKGOV AFG-PAK", "ARM AZELEG ARM-AZE"],
            export.Select(e => $"{e.GetProperty("initiator").GetString()} {e.GetProperty("target").GetString()} {e.GetProperty("countryDyad").GetString()}"));
        Assert.Equal(["COP", "MIL", "GOV", "INS", null], export.Select(e => e.TryGetProperty("initiatorRole", out var role) ? role.GetString() : null));
        Assert.Equal("Police,Government", export[0].GetProperty("dataset").GetProperty("source").GetProperty("sectors").GetString());
    }
}
