using System.Reflection;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Corpus;

/// <summary>
/// The interactions of the two seed documents (shared/seeds), in the recording format, each citing its source.
/// They pass through the same <see cref="RecordingParser"/> as anything a person records.
/// </summary>
public static class SeedCorpus
{
    private const string DocumentPrefix = "KarabakhLedger.seeds.";

    public static string Json { get; } = ReadResource("KarabakhLedger.seed-corpus.json");

    /// <summary>The seed documents the corpus quotes, verbatim, by document id (their file name without <c>.txt</c>).</summary>
    public static IReadOnlyDictionary<string, string> Documents { get; } = Assembly.GetExecutingAssembly()
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(DocumentPrefix, StringComparison.Ordinal))
        .ToDictionary(n => Path.GetFileNameWithoutExtension(n[DocumentPrefix.Length..]), ReadResource, StringComparer.Ordinal);

    /// <summary>
    /// The event ids of entries an earlier version of the corpus held and this one replaced (a revised entry
    /// gets a new id; docs/corpus-audit.md, part 4), with why: for a multilateral act, the id of each dyad's event.
    /// </summary>
    public static IReadOnlyList<ReplacedEntry> Replaced { get; } = ReadResource("KarabakhLedger.seed-replaced.tsv")
        .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
        .Select(line => line.Split('\t'))
        .SelectMany(cells => cells[1].Length == 0
            ? [new ReplacedEntry(Guid.Parse(cells[0]), cells[2])]
            : cells[1].Split(' ').Select(dyad => new ReplacedEntry(MultilateralAct.EventId(Guid.Parse(cells[0]), Dyad.Parse(dyad)), cells[2])))
        .ToArray();

    /// <summary>The corpus as recordings, read against the bundled actor tables it was written for.</summary>
    public static IReadOnlyList<Recording> Load() => RecordingParser.ParseBatch(Json, ActorRegistry.Default);

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>An event of an earlier seed corpus that the current one replaced, and why.</summary>
public sealed record ReplacedEntry(Guid EventId, string Reason);

