using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Ledger.Tests.Recording;

/// <summary>The seed corpus against its two documents, by the rules of docs/corpus-audit.md.</summary>
public sealed partial class SeedCorpusAuditTests
{
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly IReadOnlyDictionary<string, SeedDocument> Documents =
        SeedCorpus.Documents.ToDictionary(d => d.Key, d => SeedDocument.Parse(d.Value));

    private static readonly JsonElement[] Entries = JsonDocument.Parse(SeedCorpus.Json).RootElement.EnumerateArray().ToArray();

    private static string Id(JsonElement entry) => entry.GetProperty("id").GetString()!;

    private static IEnumerable<(string Document, string Passage, JsonElement Source)> Passages(JsonElement entry) =>
        entry.GetProperty("sources").EnumerateArray()
            .Where(s => s.TryGetProperty("document", out _))
            .Select(s => (s.GetProperty("document").GetString()!, s.GetProperty("passage").GetString()!, s));

    [Fact]
    public void The_bundled_seed_documents_are_the_shared_ones_verbatim()
    {
        var shared = Path.Combine(RepoRoot(), "..", "shared", "seeds");
        Assert.Equal(["000_5b38dcf0de5d89a9", "003_08a83cd49192ac61"], SeedCorpus.Documents.Keys.Order(StringComparer.Ordinal));
        if (Directory.Exists(shared))
        {
            Assert.All(SeedCorpus.Documents, d => Assert.Equal(File.ReadAllText(Path.Combine(shared, d.Key + ".txt")), d.Value));
        }

        Assert.All(SeedCorpus.Documents, d =>
            Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot(), "src/KarabakhLedger.Corpus/seeds", d.Key + ".txt")), d.Value));
    }

    [Fact]
    public void Every_entry_passes_the_typing_rule()
    {
        Assert.All(Entries, e =>
        {
            var type = e.GetProperty("type").GetString()!;
            Assert.True(InteractionTyping.Default.Refuse(type, e.GetProperty("cameoCode").GetString()!) is null, $"{Id(e)}: {InteractionTyping.Default.Refuse(type, e.GetProperty("cameoCode").GetString()!)}");
            if (e.TryGetProperty("host", out var host))
            {
                Assert.Null(InteractionTyping.Default.Refuse(InteractionTyping.Host, host.GetProperty("cameoCode").GetString()!));
            }
        });
        Assert.NotEmpty(SeedCorpus.Load());
    }

    [Fact]
    public void Every_passage_is_quoted_verbatim_and_a_footnote_passage_from_the_text_its_footnote_closes()
    {
        var wrong = new List<string>();
        foreach (var entry in Entries)
        {
            foreach (var (document, passage, _) in Passages(entry))
            {
                var seed = Documents[document];
                var footnote = FootnotePassage().Match(passage);
                if (footnote.Success)
                {
                    var number = int.Parse(footnote.Groups[1].Value, CultureInfo.InvariantCulture);
                    var run = seed.Run(number);
                    if (run is null || !SeedDocument.ContainsInOrder(run, SeedDocument.Fragments(footnote.Groups[2].Value)))
                    {
                        wrong.Add($"{Id(entry)}: not in the text footnote {number} closes: {passage}");
                    }
                }
                else if (!SeedDocument.ContainsInOrder(seed.Body, SeedDocument.Fragments(passage)))
                {
                    wrong.Add($"{Id(entry)}: not in {document}: {passage}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void A_footnoted_source_carries_the_url_and_accessed_date_its_footnote_gives()
    {
        var wrong = new List<string>();
        foreach (var entry in Entries)
        {
            foreach (var (document, passage, source) in Passages(entry))
            {
                var footnote = FootnotePassage().Match(passage);
                if (!footnote.Success || !source.TryGetProperty("url", out var url))
                {
                    continue;
                }

                var notes = Documents[document].Footnotes;
                var number = int.Parse(footnote.Groups[1].Value, CultureInfo.InvariantCulture);
                var citations = new List<string> { notes[number] };
                for (var n = number; notes[n].StartsWith("Ibid.", StringComparison.Ordinal); n--)
                {
                    citations.Add(notes[n - 1]);
                }

                var accessed = DateOnly.Parse(source.GetProperty("accessed").GetString()!, CultureInfo.InvariantCulture)
                    .ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
                if (!citations.Any(c => c.Contains($"<{url.GetString()}>", StringComparison.Ordinal) && c.Contains(accessed, StringComparison.Ordinal)))
                {
                    wrong.Add($"{Id(entry)}: fn. {number} does not cite {url.GetString()} accessed {accessed}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void No_date_is_more_precise_than_its_passages()
    {
        var wrong = new List<string>();
        foreach (var entry in Entries)
        {
            var date = entry.GetProperty("occurredOn").GetString()!.Split('-');
            var quoted = Passages(entry).Select(p => SeedDocument.Normalise(FootnotePassage().Replace(p.Passage, "$2").Replace('…', ' '))).ToArray();
            var paragraphs = Passages(entry)
                .SelectMany(p => SeedDocument.Fragments(FootnotePassage().Replace(p.Passage, "$2")).Select(f => Documents[p.Document].ParagraphOf(f)))
                .OfType<string>().ToArray();
            var note = entry.TryGetProperty("note", out var n) ? n.GetString()! : "";
            if (!quoted.Concat(paragraphs).Append(note).Any(t => t.Contains(date[0], StringComparison.Ordinal)))
            {
                wrong.Add($"{Id(entry)}: no passage, its paragraph or the note names the year {date[0]}");
            }

            if (date.Length >= 2)
            {
                var month = Months[int.Parse(date[1], CultureInfo.InvariantCulture) - 1];
                var day = date.Length == 3 ? int.Parse(date[2], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : null;
                var named = day is null
                    ? quoted.Any(q => Regex.IsMatch(q, $@"\b{month}\b"))
                    : quoted.Any(q => Regex.IsMatch(q, $@"\b{day} {month}\b|\b{month} {day}\b"));
                if (!named)
                {
                    wrong.Add($"{Id(entry)}: {entry.GetProperty("occurredOn").GetString()} but no passage names {(day is null ? month : $"{day} {month}")}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void The_audit_lists_every_entry_and_names_no_other()
    {
        var audit = File.ReadAllText(Path.Combine(RepoRoot(), "docs/corpus-audit.md"));
        var ids = Entries.Select(Id).ToHashSet(StringComparer.Ordinal);
        var listed = Uuid().Matches(audit).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(ids.Except(listed));
    }

    [Fact]
    public void The_precision_check_refuses_a_day_the_passage_does_not_name()
    {
        var dayless = SeedDocument.Normalise("went into effect on October 26 with both Armenian and Azerbaijani violations reported within hours.");
        Assert.Matches(@"\bOctober 26\b", dayless);
        Assert.DoesNotMatch(@"\b27 October\b|\bOctober 27\b", dayless);
        var seed = Documents["000_5b38dcf0de5d89a9"];
        Assert.Null(seed.Run(47));
        Assert.DoesNotContain("Ankara publicly distanced itself", seed.Run(27), StringComparison.Ordinal);
        Assert.Contains("Ankara publicly distanced itself", seed.Body, StringComparison.Ordinal);
        Assert.Contains("Ankara closed the Dardanelles and Bosphorus straits to Russian ships following a request from Kyiv", seed.Run(4), StringComparison.Ordinal);
        Assert.Contains("in support of President Bashar Assad", seed.Run(5), StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KarabakhLedger.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root.");
    }

    [GeneratedRegex(@"^fn\. (\d+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex FootnotePassage();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();
}
