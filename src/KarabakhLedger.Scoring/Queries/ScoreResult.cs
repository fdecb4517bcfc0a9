using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>
/// One interaction's part in a score: its weight under the model, its decay factor at the as-of date and
/// their product, rounded as <see cref="Scorer"/> documents. Hashes tie it to the stored events it rests on.
/// <see cref="RecordedDyad"/> is the actor pair it was recorded on; <see cref="CountedToward"/> the dyad it counted in
/// (the same, or the country dyad it rolled up into, with <see cref="Via"/> saying by which affiliation or code).
/// </summary>
public sealed record Contribution(
    Guid EventId,
    string Type,
    string OccurredOn,
    string CameoCode,
    QuadClass QuadClass,
    string Direction,
    Theatre Theatre,
    decimal Weight,
    int AgeDays,
    decimal DecayFactor,
    decimal Value,
    long Position,
    string Hash,
    Guid? CorrectedBy,
    string? CorrectionHash,
    string Summary,
    IReadOnlyList<Source> Sources,
    string RecordedDyad,
    string CountedToward,
    string? Via);

/// <summary>
/// An interaction that would have counted but was set aside by dedup (docs/scoring.md, "Dedup rules and merges"):
/// <see cref="Rule"/> is the model's rule (<c>one-a-day@1</c>, …) or <c>merged</c>, <see cref="KeptEventId"/> the
/// interaction that counts in its place, <see cref="MergeEventId"/> the analyst's merge event when merged. Nothing is deleted.
/// </summary>
public sealed record SetAsideEvent(
    Guid EventId,
    string Type,
    string OccurredOn,
    string CameoCode,
    string Direction,
    long Position,
    string Hash,
    string Rule,
    Guid KeptEventId,
    Guid? MergeEventId,
    string Reason,
    string RecordedDyad,
    string CountedToward);

/// <summary>
/// The contributions one actor pair's stream makes to a dyad (what a dyad grain hands the country dyad's grain), and
/// what dedup set aside there.
/// </summary>
public sealed record ContributionSet(string Dyad, IReadOnlyList<Contribution> Contributions)
{
    public IReadOnlyList<SetAsideEvent> SetAside { get; init; } = [];
}

/// <summary>Another actor pair's stream that rolled up into a country dyad's result, and how many of its interactions counted.</summary>
public sealed record RolledUpDyad(string Dyad, int Events);

/// <summary>Totals over a subset of the contributions (one direction, one theatre).</summary>
public sealed record Breakdown(int Events, decimal Cooperation, decimal Conflict, decimal Net, decimal Score);

/// <summary>
/// A dyad's relationship at one bitemporal point under one model. <see cref="Score"/> is defined as the sum of
/// the <see cref="Contributions"/>' values (decayed net weight, the "temperature"); cooperation and conflict
/// are the undecayed sums of positive and negative weights. <see cref="Digest"/> covers the model, the as-of
/// date and every contribution with the hashes of its stored events. <see cref="RolledUp"/> lists the other actor
/// pairs whose interactions counted (empty for a dyad that is not two states).
/// </summary>
public sealed record ScoreResult(
    string Dyad,
    DateOnly AsOf,
    DateTimeOffset KnownAt,
    ModelDescriptor Model,
    decimal Score,
    decimal Cooperation,
    decimal Conflict,
    decimal Net,
    int Events,
    IReadOnlyDictionary<QuadClass, int> ByQuadClass,
    IReadOnlyDictionary<string, Breakdown> ByDirection,
    IReadOnlyDictionary<Theatre, Breakdown> ByTheatre,
    IReadOnlyList<Contribution> Contributions,
    string Digest,
    IReadOnlyList<RolledUpDyad> RolledUp)
{
    /// <summary>The provenances counted (<c>curated</c>, <c>gdelt2,icews</c>, <c>all</c>).</summary>
    public string Provenance { get; init; } = Domain.Provenance.Provenances.Curated;

    /// <summary>What the model's dedup rules and the analysts' merges set aside, in global order; not in the score.</summary>
    public IReadOnlyList<SetAsideEvent> SetAside { get; init; } = [];

    /// <summary>
    /// Null for a whole derivation; for one page of it, which window of <see cref="Contributions"/> and
    /// <see cref="SetAside"/> this answer holds. The figures and the digest are always the whole derivation's.
    /// </summary>
    public DerivationPage? Page { get; init; }

    /// <summary>
    /// The page of this derivation from <paramref name="offset"/>: at most <paramref name="limit"/> contributions and
    /// at most <paramref name="limit"/> set-aside events, each from its own list's <paramref name="offset"/>.
    /// </summary>
    public ScoreResult PageOf(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return this with
        {
            Contributions = [.. Contributions.Skip(offset).Take(limit)],
            SetAside = [.. SetAside.Skip(offset).Take(limit)],
            Page = new DerivationPage(offset, limit, Contributions.Count, SetAside.Count),
        };
    }
}

/// <summary>
/// Which page of a derivation an answer holds: entries from <see cref="Offset"/>, at most <see cref="Limit"/> of each
/// list, out of <see cref="Contributions"/> contributions and <see cref="SetAside"/> set-aside events in all.
/// </summary>
public sealed record DerivationPage(int Offset, int Limit, int Contributions, int SetAside);

public enum Bucket
{
    Month,
    Quarter,
    Year,
}

/// <summary>One period of a timeline: cooperation against conflict (undecayed weights) and the net.</summary>
public sealed record TimelinePoint(string Label, DateOnly Start, DateOnly End, int Events, decimal Cooperation, decimal Conflict, decimal Net);

/// <summary>A dyad's cooperation-versus-conflict timeline at one bitemporal point under one model.</summary>
public sealed record TimelineResult(
    string Dyad, Bucket Bucket, DateOnly AsOf, DateTimeOffset KnownAt, ModelDescriptor Model, IReadOnlyList<TimelinePoint> Points,
    IReadOnlyList<RolledUpDyad> RolledUp)
{
    /// <summary>The provenances counted.</summary>
    public string Provenance { get; init; } = Domain.Provenance.Provenances.Curated;
}
