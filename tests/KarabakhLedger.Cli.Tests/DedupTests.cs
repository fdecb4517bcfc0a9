using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// Dedup rules on a crafted GDELT 2.0 file imported for real, and analysts' merges recorded through <c>ledger record</c>
/// (in-process and as a separate process): counts, scores and aggregates differ by exactly what the derivation sets aside.
/// </summary>
public sealed class DedupTests
{
    private static readonly DateOnly Day = new(2022, 3, 10);
    private const string UrlA = "https://news.example.org/kidnapping";
    private const string UrlB = "https://wire.example.org/kidnapping-follow-up";

    /// <summary>Rows 1–6 on RUS-UKR, 7 on RUS-TUR. Row 2 repeats row 1 exactly (same report); row 3 is row 1 again from another report.</summary>
    private static CodedRow[] Rows() =>
    [
        new(1, Day, "RUS", "RUS", "UKR", "UKR", "181", Url: UrlA),
        new(2, Day, "RUS", "RUS", "UKR", "UKR", "181", Url: UrlA),
        new(3, Day, "RUS", "RUS", "UKR", "UKR", "181", Url: UrlB),
        new(4, Day.AddDays(1), "RUS", "RUS", "UKR", "UKR", "181", Url: UrlA),
        new(5, Day, "UKR", "UKR", "RUS", "RUS", "181", Url: UrlA),
        new(6, Day, "RUS", "RUS", "UKR", "UKR", "042", Url: UrlA),
        new(7, Day, "RUS", "RUS", "TUR", "TUR", "042", Url: UrlA),
    ];

    private static async Task<(CliRunner Cli, Dictionary<string, string> Ids)> ImportedAsync()
    {
        var cli = new CliRunner();
        var file = EventDataFiles.Write("20220310044500.export.CSV", EventDataFiles.Gdelt("gdelt2", Rows()));
        var import = await cli.Run("import", "--format", "gdelt2", file);
        Assert.Equal(0, import.ExitCode);
        var ids = (await cli.Run("export", "--provenance", "gdelt2")).Lines
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("dataset").GetProperty("sourceEventId").GetString()!, e => e.GetProperty("eventId").GetString()!);
        return (cli, ids);
    }

    private static async Task<JsonElement> ExplainAsync(CliRunner cli, string model, string dyad = "RUS-UKR")
    {
        var result = await cli.Run("explain", dyad, "--as-of", "2022-12-31", "--provenance", "gdelt2", "--model", model, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement;
    }

    private static string[] Contributing(JsonElement derivation) =>
        [.. derivation.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("eventId").GetString()!)];

    private static (string EventId, string Rule, string Kept)[] SetAside(JsonElement derivation) =>
        [.. derivation.GetProperty("setAside").EnumerateArray().Select(a =>
            (a.GetProperty("eventId").GetString()!, a.GetProperty("rule").GetString()!, a.GetProperty("keptEventId").GetString()!))];

    private static decimal ValueOf(JsonElement derivation, string eventId) =>
        derivation.GetProperty("contributions").EnumerateArray().Single(c => c.GetProperty("eventId").GetString() == eventId).GetProperty("value").GetDecimal();

    [Fact]
    public async Task One_a_day_sets_aside_the_repeats_of_a_source_target_code_and_day_and_the_derivation_names_them()
    {
        var (cli, ids) = await ImportedAsync();

        var plain = await ExplainAsync(cli, "goldstein-gdelt@1");
        var oneADay = await ExplainAsync(cli, "goldstein-gdelt-oneaday@1");

        Assert.Equal(6, plain.GetProperty("events").GetInt32());
        Assert.Empty(plain.GetProperty("setAside").EnumerateArray());
        Assert.Equal(4, oneADay.GetProperty("events").GetInt32());
        Assert.Equal(new[] { ids["1"], ids["4"], ids["5"], ids["6"] }.Order(StringComparer.Ordinal), Contributing(oneADay).Order(StringComparer.Ordinal));
        Assert.Equal([(ids["2"], "exact-duplicate@1", ids["1"]), (ids["3"], "one-a-day@1", ids["1"])], SetAside(oneADay));
        Assert.Equal(plain.GetProperty("score").GetDecimal() - ValueOf(plain, ids["2"]) - ValueOf(plain, ids["3"]), oneADay.GetProperty("score").GetDecimal());
        Assert.Equal("exact-duplicate@1,one-a-day@1", oneADay.GetProperty("model").GetProperty("parameters").GetProperty("dedup").GetString());
        Assert.NotEqual(plain.GetProperty("digest").GetString(), oneADay.GetProperty("digest").GetString());

        var text = await cli.Run("explain", "RUS-UKR", "--as-of", "2022-12-31", "--provenance", "gdelt2", "--model", "goldstein-gdelt-oneaday");
        Assert.Contains("Set aside by dedup (2, not in the score)", text.Out);
        Assert.Contains(ids["3"][..8], text.Out);
        Assert.Contains("one-a-day@1", text.Out);
        var score = await cli.Run("score", "RUS-UKR", "--as-of", "2022-12-31", "--provenance", "gdelt2", "--model", "goldstein-gdelt-oneaday");
        Assert.Contains("set aside by dedup: 1 by exact-duplicate@1, 1 by one-a-day@1", score.Out);
        var models = await cli.Run("models");
        Assert.Contains("goldstein-gdelt-oneaday@1", models.Out);
        Assert.Contains("exact-duplicate@1, one-a-day@1", models.Out);
    }

    [Fact]
    public async Task Exact_duplicates_alone_set_aside_only_the_same_report_and_the_aggregates_count_what_the_model_counts()
    {
        var (cli, ids) = await ImportedAsync();

        var exact = await ExplainAsync(cli, "goldstein-icews-dedup@1");
        var plainDays = await cli.Run("aggregate", "--dyad", "RUS-UKR", "--bucket", "day", "--provenance", "gdelt2", "--format", "csv");
        var dedupDays = await cli.Run("aggregate", "--dyad", "RUS-UKR", "--bucket", "day", "--provenance", "gdelt2", "--format", "csv", "--model", "goldstein-gdelt-oneaday");

        Assert.Equal(5, exact.GetProperty("events").GetInt32());
        Assert.Equal([(ids["2"], "exact-duplicate@1", ids["1"])], SetAside(exact));
        Assert.DoesNotContain(ids["2"], Contributing(exact));
        Assert.Contains(ids["3"], Contributing(exact));
        var kidnapping = CameoWeight("181");
        var talks = CameoWeight("042");
        Assert.Equal(
            [$"2022-03-10,RUS-UKR,5,{Quads(4, 1)},{F((4 * kidnapping) + talks)}", $"2022-03-11,RUS-UKR,1,{Quads(1, 0)},{F(kidnapping)}"],
            plainDays.Lines.Skip(1).Select(Trim));
        Assert.Equal(
            [$"2022-03-10,RUS-UKR,3,{Quads(2, 1)},{F((2 * kidnapping) + talks)}", $"2022-03-11,RUS-UKR,1,{Quads(1, 0)},{F(kidnapping)}"],
            dedupDays.Lines.Skip(1).Select(Trim));
    }

    [Fact]
    public async Task A_merge_recorded_by_a_separate_ledger_process_counts_its_events_once_and_names_the_merge()
    {
        var (cli, ids) = await ImportedAsync();
        var before = await ExplainAsync(cli, "goldstein-gdelt@1");

        var recorded = await RunProcessAsync(cli.StorePath, Merge(ids["4"], ids["6"], ids["1"]), "record", "-");
        cli.Clock.SetUtcNow(DateTimeOffset.UtcNow.AddSeconds(1));
        var mergeId = (await cli.Run("export")).Lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("type").GetString() == "interactions-merged");
        var after = await ExplainAsync(cli, "goldstein-gdelt@1");
        var events = await cli.Run("events", "--dyad", "RUS-UKR");

        Assert.True(recorded.ExitCode == 0, recorded.Error);
        Assert.Contains("merge", recorded.Out);
        Assert.Equal([ids["4"], ids["6"], ids["1"]], mergeId.GetProperty("merges").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal(4, after.GetProperty("events").GetInt32());
        Assert.Equal([(ids["4"], "merged", ids["1"]), (ids["6"], "merged", ids["1"])], SetAside(after));
        Assert.All(after.GetProperty("setAside").EnumerateArray(), a =>
            Assert.Equal(mergeId.GetProperty("eventId").GetString(), a.GetProperty("mergeEventId").GetString()));
        Assert.Equal(before.GetProperty("score").GetDecimal() - ValueOf(before, ids["4"]) - ValueOf(before, ids["6"]), after.GetProperty("score").GetDecimal());
        Assert.Equal(0, (await cli.Run("verify")).ExitCode);
        Assert.Equal(0, events.ExitCode);
    }

    [Fact]
    public async Task A_refused_merge_names_the_field_and_the_rule_on_stdin_and_as_a_process_and_writes_nothing()
    {
        var (cli, ids) = await ImportedAsync();
        var retract = await cli.RunWithInput(
            $$"""{ "retracts": "{{ids["5"]}}", "reason": "Miscoded.", "sources": [ { "outlet": "Example", "title": "Check", "url": "https://example.org/check", "accessed": "2026-11-01" } ] }""",
            "record");
        var count = (await cli.Run("export", "--provenance", "all")).Lines.Length;

        var single = await cli.RunWithInput(Merge(ids["1"]), "record");
        var otherDyad = await cli.RunWithInput(Merge(ids["1"], ids["7"]), "record");
        var retracted = await cli.RunWithInput(Merge(ids["1"], ids["5"]), "record");
        var unknown = await RunProcessAsync(cli.StorePath, Merge(ids["1"], Guid.NewGuid().ToString()), "record", "-");

        Assert.Equal(0, retract.ExitCode);
        Assert.All(new[] { single.ExitCode, otherDyad.ExitCode, retracted.ExitCode, unknown.ExitCode }, code => Assert.Equal(1, code));
        Assert.Contains("merges: must list at least 2 (got 1)", single.Error);
        Assert.Contains($"merges[1]: {ids["7"]} is on dyad RUS-TUR", otherDyad.Error);
        Assert.Contains($"merges[1]: {ids["5"]} was retracted", retracted.Error);
        Assert.Contains("merges[1]: no event", unknown.Error);
        Assert.DoesNotContain("   at ", unknown.Error);
        Assert.Equal(count, (await cli.Run("export", "--provenance", "all")).Lines.Length);
    }

    private static string Merge(params string[] events) =>
        $$"""
        {
          "merges": [ {{string.Join(", ", events.Select(e => $"\"{e}\""))}} ],
          "reason": "One kidnapping, reported by every outlet for two days.",
          "sources": [ { "outlet": "Example", "title": "The kidnapping", "url": "https://example.org/one-kidnapping", "accessed": "2026-11-01" } ]
        }
        """;

    private static decimal CameoWeight(string code) => Domain.Cameo.CameoCatalog.Default.Get(code).Goldstein;

    private static string Quads(int conflict, int cooperation) => $"{cooperation},0,0,{conflict}";

    private static string F(decimal value) => Domain.Contracts.LedgerJson.Format(value);

    /// <summary>period,dyad,events,quad1–4,goldsteinSum (mean and mentions left off).</summary>
    private static string Trim(string line) => string.Join(',', line.Split(',')[..8]);

    private static async Task<CliResult> RunProcessAsync(string store, string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "ledger.dll") }.Concat(args).Concat(["--store", store]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
