using System.Text.Json;
using System.Text.RegularExpressions;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Cli.Tests;

public sealed class SeedAndExportTests
{
    private static readonly string[] ExportedFields = ["eventId", "dyad", "type", "cameoCode", "initiator", "target", "occurredOn", "recordedAt", "summary", "theatre", "sources", "streamVersion", "position", "hash"];

    private static readonly int CorpusEvents = SeedCorpus.Load().OfType<InteractionRecording>().Sum(r => r.Events.Count);

    [Fact]
    public async Task Seed_then_export_emits_the_whole_corpus_with_its_sources()
    {
        var cli = new CliRunner();
        var seed = await cli.Run("seed");

        var export = await cli.Run("export", "--format", "jsonl");

        Assert.Equal(0, seed.ExitCode);
        Assert.Contains($"{CorpusEvents} events appended, 0 already there", seed.Out);
        Assert.Equal(0, export.ExitCode);
        var lines = export.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(CorpusEvents, lines.Length);
        Assert.All(lines, e =>
        {
            foreach (var field in ExportedFields)
            {
                Assert.True(e.TryGetProperty(field, out _), $"missing {field}");
            }

            Assert.Matches(new Regex(@"^[A-Z0-9]+-[A-Z0-9]+$"), e.GetProperty("dyad").GetString());
            Assert.Matches(new Regex(@"^\d{4}(-\d{2}(-\d{2})?)?$"), e.GetProperty("occurredOn").GetString());
            Assert.Matches(new Regex("^[0-9a-f]{64}$"), e.GetProperty("hash").GetString());
            var sources = e.GetProperty("sources").EnumerateArray().ToArray();
            Assert.NotEmpty(sources);
            Assert.All(sources, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("outlet").GetString())));
        });
        Assert.Contains(lines, e => e.GetProperty("sources")[0].TryGetProperty("url", out _) && e.GetProperty("sources")[0].TryGetProperty("accessed", out _));
        Assert.Equal(lines.Select(e => e.GetProperty("position").GetInt64()).Order(), lines.Select(e => e.GetProperty("position").GetInt64()));
    }

    [Fact]
    public async Task Seeding_twice_appends_nothing_the_second_time()
    {
        var cli = new CliRunner();
        await cli.Run("seed");

        var again = await cli.Run("seed");
        var export = await cli.Run("export");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"0 events appended, {CorpusEvents} already there", again.Out);
        Assert.Equal(CorpusEvents, export.Lines.Length);
    }

    [Fact]
    public async Task Seeding_a_ledger_that_holds_replaced_entries_of_an_earlier_corpus_names_them_and_appends_the_revision()
    {
        var cli = new CliRunner();
        var earlier = SeedCorpus.Replaced.First(r => r.EventId == Guid.Parse("e0a2a0f3-ae61-41e9-85bc-795d6dab7227"));
        var recorded = await cli.RunWithInput($$"""
            { "id": "{{earlier.EventId}}", "type": "strike", "cameoCode": "196", "initiator": "ARM", "target": "AZE", "occurredOn": "2020-10-26",
              "theatre": "south-caucasus", "summary": "Armenian forces violate the US-brokered ceasefire with Azerbaijan within hours of its entry into force.",
              "sources": [ { "outlet": "Seed document 003", "title": "t", "document": "003_08a83cd49192ac61", "passage": "within hours" } ] }
            """, "record");

        var seed = await cli.Run("seed");
        var again = await cli.Run("seed");
        var events = await cli.Run("events", "--dyad", "ARM-AZE");

        Assert.Equal(0, recorded.ExitCode);
        Assert.Equal(0, seed.ExitCode);
        Assert.Contains($"{CorpusEvents} events appended, 0 already there", seed.Out);
        Assert.Contains("holds 1 events of an earlier seed corpus that this one replaced", seed.Out);
        Assert.Contains($"{earlier.EventId}  {earlier.Reason}", seed.Out);
        Assert.Contains("0 events appended", again.Out);
        Assert.Contains("holds 1 events of an earlier seed corpus", again.Out);
        Assert.Contains("2020-10-26", events.Out);
        Assert.DoesNotContain(SeedCorpus.Load().OfType<InteractionRecording>().SelectMany(r => r.Events), e => e.Event.EventId == earlier.EventId);
    }

    [Fact]
    public void Replaced_entries_are_no_entries_of_the_corpus_and_each_gives_a_reason()
    {
        var current = SeedCorpus.Load().OfType<InteractionRecording>().SelectMany(r => r.Events.Select(e => e.Event.EventId).Append(r.Id)).ToHashSet();

        Assert.NotEmpty(SeedCorpus.Replaced);
        Assert.All(SeedCorpus.Replaced, r => Assert.DoesNotContain(r.EventId, current));
        Assert.All(SeedCorpus.Replaced, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
    }

    [Fact]
    public async Task Csv_export_of_one_dyad_has_a_header_and_one_row_per_event()
    {
        var cli = new CliRunner();
        await cli.Run("seed");

        var csv = await cli.Run("export", "--dyad", "TUR-RUS", "--format", "csv");
        var jsonl = await cli.Run("export", "--dyad", "RUS-TUR");

        Assert.Equal(0, csv.ExitCode);
        var rows = csv.Out.Split("\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("eventId,dyad,type,cameoCode,initiator,target", rows[0]);
        Assert.Equal(jsonl.Lines.Length, CountCsvRecords(csv.Out) - 1);
        // A country dyad's export holds its own stream and what rolls up into it (BAYKAR-RUS).
        Assert.All(jsonl.Lines, l => Assert.Equal("RUS-TUR", JsonDocument.Parse(l).RootElement.GetProperty("countryDyad").GetString()));
        Assert.Contains(jsonl.Lines, l => JsonDocument.Parse(l).RootElement.GetProperty("dyad").GetString() == "BAYKAR-RUS");
    }

    [Fact]
    public async Task Export_to_a_file_writes_the_file_and_reports_on_stderr()
    {
        var cli = new CliRunner();
        await cli.Run("seed");
        var path = CliRunner.NewPath(".jsonl");

        var result = await cli.Run("export", "--output", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(CorpusEvents, File.ReadAllLines(path).Length);
        Assert.Contains($"{CorpusEvents} events written", result.Error);
    }

    [Fact]
    public async Task Events_are_filtered_by_dyad_and_dates()
    {
        var cli = new CliRunner();
        await cli.Run("seed");

        var all = await cli.Run("events", "--dyad", "RUS-TUR");
        var in2022 = await cli.Run("events", "--dyad", "RUS-TUR", "--from", "2022", "--to", "2022-12-31");
        var bad = await cli.Run("events", "--dyad", "RUS-XYZ");

        Assert.Equal(0, in2022.ExitCode);
        int Count(CliResult r) => int.Parse(Regex.Match(r.Out, @"(\d+) events\.").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Count(in2022), 1, Count(all) - 1);
        Assert.DoesNotContain("2020-", in2022.Out);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--dyad", bad.Error);
    }

    [Fact]
    public async Task The_default_store_comes_from_LEDGER_STORE()
    {
        var cli = new CliRunner();
        var path = CliRunner.NewPath(".db");
        cli.Environment["LEDGER_STORE"] = path;
        var output = new StringWriter();
        var context = new Hosting.CliContext(new MemoryStream(), output, new StringWriter(), name => cli.Environment.GetValueOrDefault(name), cli.Clock);

        var exitCode = await Hosting.LedgerCli.RunAsync(["seed"], context);

        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(path));
        Assert.Contains(path, output.ToString());
    }

    private static int CountCsvRecords(string csv)
    {
        var records = 0;
        var quoted = false;
        foreach (var c in csv)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '\n' && !quoted)
            {
                records++;
            }
        }

        return records;
    }
}
