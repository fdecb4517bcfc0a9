using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Changes;

/// <summary>Why a dyad's projection changed: what the causing event was to the dyad.</summary>
public enum ChangeKind
{
    /// <summary>An interaction was recorded in the dyad's own stream.</summary>
    Recorded,

    /// <summary>An interaction of the dyad's stream was corrected (<see cref="ScoreChange.TargetEventIds"/> names it).</summary>
    Corrected,

    /// <summary>An interaction of the dyad's stream was retracted (<see cref="ScoreChange.TargetEventIds"/> names it).</summary>
    Retracted,

    /// <summary>Interactions of the dyad's stream were merged into one (<see cref="ScoreChange.TargetEventIds"/> names them).</summary>
    Merged,

    /// <summary>
    /// An event of another actor pair's stream that rolls up into this country dyad through an affiliation or a code
    /// (<see cref="ScoreChange.RecordedDyad"/> names the pair, <see cref="ScoreChange.Via"/> how it rolled up).
    /// </summary>
    RolledUp,
}

/// <summary>
/// The event that caused a change: where it stands in the global order, its id and stored type, when it was recorded,
/// and the stream (actor pair) it was recorded on.
/// </summary>
public sealed record ChangeCause(long Position, Guid EventId, string EventType, DateTimeOffset RecordedAt, string RecordedDyad);

/// <summary>
/// What a dyad grain is asked to log: the change <see cref="Cause"/> makes to it, as entry <see cref="Sequence"/> of its
/// position. <see cref="Kind"/> is null for an event of the dyad's own stream (the grain reads it from the event) and
/// <see cref="ChangeKind.RolledUp"/>, with the interactions the event names, for an event of another actor pair.
/// </summary>
public sealed record ChangeRequest(ChangeCause Cause, int Sequence, ChangeKind? Kind, IReadOnlyList<Guid> Targets);

/// <summary>A question asked of a stream cut at a global position: only its events up to <see cref="Position"/> count.</summary>
public sealed record CutQuery(long Position, ScoreQuery Query);

/// <summary>
/// A score's figures: the sum of the values, of the positive and the negative weights and of all weights, the number
/// of contributions, and the digest (<see cref="Scorer.Digest(ModelDescriptor, DateOnly, IReadOnlyList{Contribution})"/>).
/// </summary>
public sealed record ScoreFigures(decimal Score, decimal Cooperation, decimal Conflict, decimal Net, int Events, string Digest)
{
    /// <summary>The figures of contributions in result order, at <paramref name="asOf"/> under <paramref name="model"/>.</summary>
    public static ScoreFigures Of(ModelDescriptor model, DateOnly asOf, IReadOnlyList<Contribution> ordered)
    {
        var (score, cooperation, conflict, net) = (0m, 0m, 0m, 0m);
        foreach (var c in ordered)
        {
            score += c.Value;
            net += c.Weight;
            cooperation += c.Weight > 0 ? c.Weight : 0m;
            conflict += c.Weight < 0 ? c.Weight : 0m;
        }

        return new(score, cooperation, conflict, net, ordered.Count, Scorer.Digest(model, asOf, ordered));
    }
}

/// <summary>One side of a change: the contributions that count toward the dyad, in result order, and their figures.</summary>
public sealed record ScoreSide(IReadOnlyList<Contribution> Contributions, ScoreFigures Figures)
{
    /// <summary>The side the derivations <paramref name="sets"/> make (one set per stream counted, as a score takes them).</summary>
    public static ScoreSide Of(ScoreQuery query, ScoringModel model, IReadOnlyList<ContributionSet> sets)
    {
        // A derivation's own contributions are already in result order; only several streams need merging.
        var ordered = sets.Count == 1 ? sets[0].Contributions : Scorer.Order(sets.SelectMany(s => s.Contributions));
        return new(ordered, ScoreFigures.Of(model.Descriptor, query.AsOf, ordered));
    }
}

/// <summary>A timeline bucket's figures on one side of a change (undecayed weights, as in a timeline).</summary>
public sealed record BucketFigures(int Events, decimal Cooperation, decimal Conflict, decimal Net)
{
    public static readonly BucketFigures None = new(0, 0, 0, 0);

    public static BucketFigures Of(TimelinePoint point) => new(point.Events, point.Cooperation, point.Conflict, point.Net);
}

/// <summary>One timeline bucket that a change revised: a 2020 interaction recorded today revises 2020.</summary>
public sealed record BucketChange(string Label, DateOnly Start, DateOnly End, BucketFigures Before, BucketFigures After);

/// <summary>
/// One entry of a dyad's change log: the dyad's score and yearly timeline just before and just after the event at
/// <see cref="Position"/>, both under the same question (<see cref="AsOf"/>, <see cref="KnownAt"/>, <see cref="Model"/>),
/// so the difference is that event's alone. <see cref="Sequence"/> orders the entries of one position (0 for the
/// dyad the event was recorded on, then the country dyads it rolled up into, by key). <see cref="Buckets"/> lists only
/// the years whose figures moved.
/// </summary>
public sealed record ScoreChange(
    long Position,
    int Sequence,
    string Dyad,
    Guid EventId,
    string EventType,
    ChangeKind Kind,
    IReadOnlyList<Guid> TargetEventIds,
    string RecordedDyad,
    string? Via,
    string Model,
    DateOnly AsOf,
    DateTimeOffset KnownAt,
    ScoreFigures Before,
    ScoreFigures After,
    IReadOnlyList<BucketChange> Buckets);
