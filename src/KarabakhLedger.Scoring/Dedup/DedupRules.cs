using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Scoring.Dedup;

/// <summary>
/// A named, versioned dedup rule (<c>id@version</c>): the key under which interactions are one, or null for an
/// interaction the rule does not judge. Of the interactions sharing a key the earliest by global position is kept and
/// the others are set aside; nothing is deleted. A model lists the rules it applies (<c>dedup</c> in its JSON).
/// </summary>
public sealed record DedupRule(string Key, string Meaning, Func<InteractionEvent, InteractionFacts, string?> KeyOf);

/// <summary>The dedup rules this ledger knows. A rule's meaning never changes under its key: a new meaning is a new version.</summary>
public static class DedupRules
{
    public const string Merged = "merged";

    /// <summary>
    /// One machine-coded event per dataset, source document (GDELT's SOURCEURL, ICEWS's story and sentence) and coded
    /// content (the two sides as the dataset coded them, event code, day): the same report coded into the same event
    /// twice. Rows without a source document (GDELT 1.0 backfiles) and curated events are not judged.
    /// </summary>
    public static DedupRule ExactDuplicate { get; } = new(
        "exact-duplicate@1",
        "same dataset, source document, coded actors, event code and day",
        (recorded, facts) => recorded is CodedInteraction { Provenance: var p } && Document(p) is { } document
            ? string.Join('\u001f', p.Dataset, document, facts.Initiator, Coded(p.Source), facts.Target, Coded(p.Target), p.EventCode, facts.OccurredOn)
            : null);

    /// <summary>
    /// GDELT's and Phoenix's "one a day": one machine-coded event per source actor, target actor, CAMEO code and day.
    /// Curated events are not judged: a person's record is merged by a person (<see cref="InteractionsMerged"/>).
    /// </summary>
    public static DedupRule OneADay { get; } = new(
        "one-a-day@1",
        "same source actor, target actor, CAMEO code and day",
        (recorded, facts) => recorded is CodedInteraction
            ? string.Join('\u001f', facts.Initiator, facts.Target, facts.CameoCode, facts.OccurredOn)
            : null);

    public static IReadOnlyList<DedupRule> All { get; } = [ExactDuplicate, OneADay];

    /// <summary>A rule by <c>id@version</c>.</summary>
    /// <exception cref="KeyNotFoundException">no rule has that key.</exception>
    public static DedupRule Get(string key) =>
        All.FirstOrDefault(r => r.Key == key)
        ?? throw new KeyNotFoundException($"No dedup rule '{key}'; known: {string.Join(", ", All.Select(r => r.Key))}.");

    private static string? Document(EventDataProvenance p) =>
        p.SourceUrl is { Length: > 0 } url ? url
        : p.StoryId is { Length: > 0 } story ? $"{story}#{p.SentenceNumber}"
        : null;

    private static string Coded(CodedSide side) => side.Code ?? side.Name ?? "";
}
