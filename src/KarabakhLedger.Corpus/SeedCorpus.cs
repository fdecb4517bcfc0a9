using System.Reflection;
using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Corpus;

/// <summary>
/// The interactions of the two seed documents (shared/seeds), in the recording format, each citing its source.
/// They pass through the same <see cref="RecordingParser"/> as anything a person records.
/// </summary>
public static class SeedCorpus
{
    public static string Json { get; } = ReadResource();

    public static IReadOnlyList<Recording> Load() => RecordingParser.ParseBatch(Json);

    private static string ReadResource()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KarabakhLedger.seed-corpus.json")
            ?? throw new InvalidOperationException("The seed corpus resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
