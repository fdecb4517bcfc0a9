using System.Reflection;
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

    public static IReadOnlyList<Recording> Load() => RecordingParser.ParseBatch(Json);

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
