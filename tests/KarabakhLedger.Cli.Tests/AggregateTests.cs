using System.Globalization;
using System.Text.Json;

namespace KarabakhLedger.Cli.Tests;

/// <summary><c>ledger aggregate</c> against an independent computation made from the imported file itself.</summary>
public sealed class AggregateTests
{
    private sealed record Expected(int Events, int[] Quads, decimal Goldstein, long Mentions);

    /// <summary>Per (day, state dyad) from the file's own columns: SQLDATE, the two country codes, QuadClass, GoldsteinScale, NumMentions.</summary>
    private static Dictionary<(string Day, string Dyad), Expected> FromFile(string path)
    {
        var result = new Dictionary<(string, string), Expected>();
        foreach (var line in File.ReadLines(path))
        {
            var c = line.Split('\t');
            if (c[7] == c[17])
            {
                continue;
            }

            var key = ($"{c[1][..4]}-{c[1][4..6]}-{c[1][6..]}", string.CompareOrdinal(c[7], c[17]) < 0 ? $"{c[7]}-{c[17]}" : $"{c[17]}-{c[7]}");
            var e = result.GetValueOrDefault(key) ?? new Expected(0, new int[4], 0, 0);
            var quads = (int[])e.Quads.Clone();
            quads[int.Parse(c[29], CultureInfo.InvariantCulture) - 1]++;
            result[key] = new Expected(e.Events + 1, quads, e.Goldstein + decimal.Parse(c[30], CultureInfo.InvariantCulture), e.Mentions + long.Parse(c[31], CultureInfo.InvariantCulture));
        }

        return result;
    }

    [Fact]
    public async Task Daily_state_dyad_aggregates_of_an_imported_GDELT_file_equal_what_the_file_says_with_no_holes()
    {
        var cli = new CliRunner();
        var file = ImportCrashTests.BigFile(rows: 3000, firstId: 600_000_000);
        await cli.Run("import", "--format", "gdelt2", file);

        var aggregate = await cli.Run("aggregate", "--all", "--bucket", "day", "--format", "csv", "--provenance", "gdelt2");
        var expected = FromFile(file);
        var rows = aggregate.Lines.Skip(1).Select(l => l.Split(',')).ToArray();

        Assert.Equal(0, aggregate.ExitCode);
        Assert.Equal("period,dyad,events,quad1,quad2,quad3,quad4,goldsteinSum,goldsteinMean,mentionsSum", aggregate.Lines[0]);
        var dyads = expected.Keys.Select(k => k.Dyad).Distinct().Count();
        var days = expected.Keys.Select(k => k.Day).Distinct().Count();
        Assert.Equal(dyads * days, rows.Length);
        foreach (var r in rows)
        {
            var e = expected.GetValueOrDefault((r[0], r[1])) ?? new Expected(0, new int[4], 0, 0);
            Assert.Equal(e.Events.ToString(CultureInfo.InvariantCulture), r[2]);
            Assert.Equal(e.Quads.Select(q => q.ToString(CultureInfo.InvariantCulture)), r[3..7]);
            Assert.Equal(e.Goldstein, decimal.Parse(r[7], CultureInfo.InvariantCulture));
            Assert.Equal(e.Events == 0 ? "" : Math.Round(e.Goldstein / e.Events, 6, MidpointRounding.ToEven).ToString("0.######", CultureInfo.InvariantCulture), r[8]);
            Assert.Equal(e.Mentions.ToString(CultureInfo.InvariantCulture), r[9]);
        }

        Assert.Contains("left out:", aggregate.Error);
        Assert.Contains("quad scheme gdelt@1", aggregate.Error);
    }

    [Fact]
    public async Task Directed_exact_and_one_dyad_rows_and_the_ICEWS_scheme_follow_the_model()
    {
        var cli = new CliRunner();
        var day = new DateOnly(2022, 2, 24);
        var path = EventDataFiles.Write("x.export.CSV", EventDataFiles.Gdelt("gdelt2",
        [
            new(1, day, "RUSMIL", "RUS", "UKRMIL", "UKR", "190", Mentions: 5),
            new(2, day, "UKRGOV", "UKR", "RUS", "RUS", "141", Mentions: 7),
            new(3, day.AddDays(14), "RUS", "RUS", "UKR", "UKR", "090", Mentions: 1),
            new(4, day, "TURGOV", "TUR", "TURMIL", "TUR", "010"),
        ]));
        await cli.Run("import", "--format", "gdelt2", path);

        var directed = await cli.Run("aggregate", "--dyad", "RUS-UKR", "--bucket", "week", "--directed", "--provenance", "gdelt2");
        var exact = await cli.Run("aggregate", "--bucket", "month", "--exact", "--provenance", "gdelt2", "--format", "jsonl");
        var icews = await cli.Run("aggregate", "--bucket", "month", "--provenance", "gdelt2", "--model", "goldstein-icews");
        var curated = await cli.Run("aggregate", "--bucket", "month");

        Assert.Equal(
            ["period,source,target,events,quad1,quad2,quad3,quad4,goldsteinSum,goldsteinMean,mentionsSum",
             "2022-W08,RUS,UKR,1,0,0,0,1,-10,-10,5", "2022-W08,UKR,RUS,1,0,0,1,0,-6.5,-6.5,7",
             "2022-W09,RUS,UKR,0,0,0,0,0,0,,0", "2022-W09,UKR,RUS,0,0,0,0,0,0,,0",
             "2022-W10,RUS,UKR,1,0,1,0,0,-2,-2,1", "2022-W10,UKR,RUS,0,0,0,0,0,0,,0"],
            directed.Lines);
        Assert.Contains("1 with both sides in one state", directed.Error);
        var exactRows = exact.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(
            ["2022-02 RUS-UKR 0", "2022-02 RUS-UKRGOV 1", "2022-02 RUSMIL-UKRMIL 1", "2022-02 TURGOV-TURMIL 1",
             "2022-03 RUS-UKR 1", "2022-03 RUS-UKRGOV 0", "2022-03 RUSMIL-UKRMIL 0", "2022-03 TURGOV-TURMIL 0"],
            exactRows.Select(r => $"{r.GetProperty("period").GetString()} {r.GetProperty("dyad").GetString()} {r.GetProperty("events").GetInt32()}"));
        Assert.Equal(["2022-02,RUS-UKR,2,0,0,0,2,-16.5,-8.25,12", "2022-03,RUS-UKR,1,0,0,1,0,-2,-2,1"], icews.Lines[1..]);
        Assert.Contains("quad scheme icews@1", icews.Error);
        Assert.Equal(["period,dyad,events,quad1,quad2,quad3,quad4,goldsteinSum,goldsteinMean"], curated.Lines);
    }

    [Fact]
    public async Task Importing_never_changes_a_curated_score_and_the_provenance_option_counts_the_import()
    {
        var cli = new CliRunner();
        await cli.Run("seed");
        var before = await cli.Run("score", "TUR-RUS", "--as-of", "2022", "--json");
        var path = EventDataFiles.Write("20220224.export.CSV", EventDataFiles.Gdelt("gdelt1-daily",
            [new(5, new DateOnly(2022, 2, 24), "TURGOV", "TUR", "RUS", "RUS", "1246"), new(6, new DateOnly(2022, 3, 1), "RUS", "RUS", "TUR", "TUR", "036")]));
        await cli.Run("import", "--format", "gdelt1", path);

        var after = await cli.Run("score", "TUR-RUS", "--as-of", "2022", "--json");
        var imported = JsonDocument.Parse((await cli.Run("score", "TUR-RUS", "--as-of", "2022", "--json", "--provenance", "gdelt1")).Out).RootElement;
        var both = JsonDocument.Parse((await cli.Run("score", "TUR-RUS", "--as-of", "2022", "--json", "--provenance", "curated,gdelt1")).Out).RootElement;
        var events = await cli.Run("events", "--dyad", "TUR-RUS", "--provenance", "gdelt1");
        var bad = await cli.Run("score", "TUR-RUS", "--provenance", "phoenix");

        Assert.Equal(before.Out, after.Out);
        Assert.Equal(2, imported.GetProperty("events").GetInt32());
        Assert.Equal("gdelt1", imported.GetProperty("provenance").GetString());
        Assert.Equal(JsonDocument.Parse(before.Out).RootElement.GetProperty("events").GetInt32() + 2, both.GetProperty("events").GetInt32());
        Assert.Contains("2 events.", events.Out);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--provenance: 'phoenix' is not a provenance", bad.Error);
    }
}
