using System.Text.Json;

namespace KarabakhLedger.Cli.Tests;

/// <summary><c>ledger import</c> on small files in every real layout, in-process on SQLite.</summary>
public sealed class ImportTests
{
    private static readonly DateOnly Day = new(2022, 2, 24);

    public static CodedRow[] Rows(long first = 1_000_000_001) =>
    [
        new(first, Day, "RUSMIL", "RUS", "UKRMIL", "UKR", "190", Mentions: 40, Sources: 8, Articles: 38, Tone: "-7.5757575757576"),
        new(first + 1, Day, "TURGOV", "TUR", "RUS", "RUS", "036", Url: "https://www.hurriyetdailynews.com/a-1"),
        new(first + 2, Day.AddDays(1), "AZE", "AZE", "ARMGOV", "ARM", "112"),
        new(first + 3, Day.AddDays(1), "IGOUNO", "", "UKR", "UKR", "043"),
    ];

    private static IEnumerable<JsonElement> Export(CliResult export) => export.Lines.Select(l => JsonDocument.Parse(l).RootElement);

    [Theory]
    [InlineData("gdelt1", "gdelt1-daily", "20220224.export.CSV", "")]
    [InlineData("gdelt1", "gdelt1-daily", "20220224.export.CSV", ".zip")]
    [InlineData("gdelt1", "gdelt1-backfile", "2012.csv", "")]
    [InlineData("gdelt1", "gdelt1-backfile", "2012.csv", ".zip")]
    [InlineData("gdelt2", "gdelt2", "20220224044500.export.CSV", "")]
    [InlineData("gdelt2", "gdelt2", "20220224044500.export.CSV", ".gz")]
    [InlineData("gdelt2", "gdelt2", "20220224044500.export.CSV", ".zip")]
    public async Task Every_GDELT_layout_imports_each_row_once_on_its_dyad_s_stream_with_the_file_s_values(string format, string layout, string name, string compression)
    {
        var cli = new CliRunner();
        var path = EventDataFiles.Write(name, EventDataFiles.Gdelt(layout, Rows()), compression);

        var first = await cli.Run("import", "--format", format, path);
        var again = await cli.Run("import", "--format", format, path);
        var plainAfterCompressed = await cli.Run("import", "--format", format, EventDataFiles.Write(name, EventDataFiles.Gdelt(layout, Rows())));
        var export = Export(await cli.Run("export", "--provenance", "all")).ToArray();
        var verify = await cli.Run("verify");

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("4 rows: 4 imported, 0 already there, 0 rejected", first.Out);
        Assert.StartsWith("4 rows: 0 imported, 4 already there, 0 rejected", again.Out);
        Assert.StartsWith("4 rows: 0 imported, 4 already there, 0 rejected", plainAfterCompressed.Out);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(["RUSMIL-UKRMIL", "RUS-TURGOV", "ARMGOV-AZE", "UKR-UN"], export.Select(e => e.GetProperty("dyad").GetString()));
        Assert.All(export, e => Assert.Equal(format, e.GetProperty("provenance").GetString()));
        var war = export[0];
        Assert.Equal("190", war.GetProperty("cameoCode").GetString());
        Assert.Equal("2022-02-24", war.GetProperty("occurredOn").GetString());
        Assert.Equal("RUS-UKR", war.GetProperty("countryDyad").GetString());
        Assert.Equal("MIL", war.GetProperty("initiatorRole").GetString());
        var provenance = war.GetProperty("dataset");
        Assert.Equal(layout, provenance.GetProperty("layout").GetString());
        Assert.Equal(name, provenance.GetProperty("file").GetString());
        Assert.Equal(1, provenance.GetProperty("line").GetInt64());
        Assert.Equal("1000000001", provenance.GetProperty("sourceEventId").GetString());
        Assert.Equal("-10.0", provenance.GetProperty("goldstein").GetRawText());
        Assert.Equal(4, provenance.GetProperty("quadClass").GetInt32());
        Assert.Equal(40, provenance.GetProperty("numMentions").GetInt32());
        Assert.Equal(8, provenance.GetProperty("numSources").GetInt32());
        Assert.Equal(38, provenance.GetProperty("numArticles").GetInt32());
        Assert.Equal("-7.5757575757576", provenance.GetProperty("avgTone").GetRawText());
        Assert.Equal(format == "gdelt2" ? "2022-02-24T04:45:00Z" : "2022-02-25", provenance.GetProperty("dateAdded").GetString());
        var source = export[1].GetProperty("sources")[0];
        if (layout == "gdelt1-backfile")
        {
            Assert.Equal(name, source.GetProperty("document").GetString());
            Assert.Equal("line 2", source.GetProperty("passage").GetString());
        }
        else
        {
            Assert.Equal("https://www.hurriyetdailynews.com/a-1", source.GetProperty("url").GetString());
            Assert.Equal("www.hurriyetdailynews.com", source.GetProperty("outlet").GetString());
        }
    }

    [Fact]
    public async Task Rows_that_cannot_be_imported_are_counted_by_reason_and_written_with_it_and_never_stop_the_import()
    {
        var cli = new CliRunner();
        var good = Rows();
        var bad = new[]
        {
            good[0] with { Id = 2, Actor2 = "", Country2 = "" },
            good[0] with { Id = 3, Actor1 = "XYZGOV", Country1 = "XYZ" },
            good[0] with { Id = 4, Code = "999" },
            good[0] with { Id = 5, Actor2 = "RUSGOV", Country2 = "RUS", Actor1 = "RUSGOV" },
        };
        var shortLine = string.Join('\t', EventDataFiles.GdeltCells("gdelt2", good[1] with { Id = 6 })[..40]);
        var badDate = string.Join('\t', EventDataFiles.GdeltCells("gdelt2", good[1] with { Id = 7 }).Select((c, i) => i == 1 ? "2022-02-24" : c));
        var path = EventDataFiles.Write("mixed.export.CSV", EventDataFiles.Gdelt("gdelt2", [.. good[..2], .. bad, .. good[2..]], [shortLine, badDate]));
        var rejects = CliRunner.NewPath(".tsv");

        var import = await cli.Run("import", "--format", "gdelt2", path, "--rejects", rejects, "--batch-size", "3");
        var lines = await File.ReadAllLinesAsync(rejects);

        Assert.Equal(0, import.ExitCode);
        Assert.StartsWith("10 rows: 4 imported, 0 already there, 6 rejected (malformed 2, no-actor 1, same-actor 1, unknown-actor 1, unknown-cameo-code 1)", import.Out);
        Assert.Equal("reason\tdetail\tfile\tline\trow", lines[0]);
        Assert.Equal(["no-actor", "unknown-actor", "unknown-cameo-code", "same-actor", "malformed", "malformed"], lines[1..].Select(l => l.Split('\t')[0]));
        Assert.Equal(["3", "4", "5", "6", "9", "10"], lines[1..].Select(l => l.Split('\t')[3]));
        Assert.Contains("Actor1Code 'XYZGOV'", lines[2]);
        Assert.Contains("EventCode '999' is not in the CAMEO table", lines[3]);
        Assert.Contains("40 columns; GDELT 2.0 rows have 61", lines[5]);
        Assert.Contains("SQLDATE '2022-02-24' is not a YYYYMMDD date", lines[6]);
        Assert.Equal(EventDataFiles.GdeltCells("gdelt2", bad[0]), lines[1].Split('\t')[4..]);
        Assert.Equal(4, Export(await cli.Run("export", "--provenance", "gdelt2")).Count());
    }

    [Fact]
    public async Task ICEWS_rows_resolve_countries_by_name_and_a_repeated_event_id_is_reported_not_hidden()
    {
        var cli = new CliRunner();
        var rows = new CodedRow[]
        {
            new(32891170, Day, "Recep Tayyip Erdoğan", "Turkey", "Vladimir Putin", "Russian Federation", "036"),
            new(32891171, Day, "Government (Azerbaijan)", "Azerbaijan", "Armenia", "Armenia", "112"),
            new(32891172, Day, "Ilham Aliyev", "Azerbaijan", "Shanghai Cooperation Organization", "NA", "040"),
            new(32891173, Day, "Citizen (Atlantis)", "Atlantis", "Armenia", "Armenia", "010"),
            new(32891174, Day, "Turkey", "Turkey", "Turkey", "Turkey", "010"),
        };
        var first = EventDataFiles.Write("events.2022.tab", EventDataFiles.Icews(rows));
        var overlapping = EventDataFiles.Write("events.2022.update.tab", EventDataFiles.Icews([rows[0], rows[1] with { Code = "111" }]));
        var rejects = CliRunner.NewPath(".tsv");

        var import = await cli.Run("import", "--format", "icews", first);
        var second = await cli.Run("import", "--format", "icews", overlapping, "--rejects", rejects);
        var export = Export(await cli.Run("export", "--provenance", "icews")).ToArray();
        var repeated = (await File.ReadAllLinesAsync(rejects))[1].Split('\t');

        Assert.StartsWith("5 rows: 2 imported, 0 already there, 3 rejected (no-actor 1, same-actor 1, unknown-actor 1)", import.Out);
        Assert.StartsWith("2 rows: 0 imported, 1 already there, 1 rejected (repeated-id 1)", second.Out);
        Assert.Equal("repeated-id", repeated[0]);
        Assert.Contains("icews event id 32891171 is already imported from events.2022.tab line 3 with different content", repeated[1]);
        Assert.Equal(["RUSGOV-TURGOV", "ARM-AZEGOV"], export.Select(e => e.GetProperty("dyad").GetString()));
        Assert.Equal(["RUS-TUR", "ARM-AZE"], export.Select(e => e.GetProperty("countryDyad").GetString()));
        Assert.Equal("Trend News Agency (Azerbaijan)", export[0].GetProperty("sources")[0].GetProperty("outlet").GetString());
        Assert.Contains("story 80291170, sentence 2", export[0].GetProperty("sources")[0].GetProperty("title").GetString());
        Assert.Equal("Russian Federation", export[0].GetProperty("dataset").GetProperty("target").GetProperty("country").GetString());
        Assert.Equal("-2", export[1].GetProperty("dataset").GetProperty("goldstein").GetRawText());
    }

    [Fact]
    public async Task Stdin_is_read_with_a_dash_and_cited_as_stdin()
    {
        var cli = new CliRunner();

        var import = await cli.RunWithInput(EventDataFiles.Gdelt("gdelt1-backfile", Rows()), "import", "--format", "gdelt1", "-");
        var export = Export(await cli.Run("export", "--provenance", "all")).ToArray();

        Assert.StartsWith("4 rows: 4 imported", import.Out);
        Assert.Equal("stdin", export[0].GetProperty("sources")[0].GetProperty("document").GetString());
    }

    [Fact]
    public async Task A_missing_file_or_a_wrong_format_is_one_clear_line_and_writes_nothing()
    {
        var cli = new CliRunner();

        var missing = await cli.Run("import", "--format", "gdelt2", "/nonexistent/file.CSV");
        var format = await cli.Run("import", "--format", "phoenix", "x");

        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("error: files: '/nonexistent/file.CSV' does not exist", missing.Error.Trim());
        Assert.NotEqual(0, format.ExitCode);
        Assert.False(File.Exists(cli.StorePath));
    }
}
