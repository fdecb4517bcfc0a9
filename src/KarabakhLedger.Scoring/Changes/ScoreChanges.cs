using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Changes;

/// <summary>
/// The pure rule of a dyad's change log (docs/adr/0021-change-log-from-the-grains.md). The change at position P is the
/// dyad's score and yearly timeline with the events up to P against the same question without the event at P. The
/// question is the ledger's as it stood at P: known-at is the latest recording time among the dyad's events up to P
/// and the causing event, as-of that instant's UTC day. So the same position always yields the same change.
/// </summary>
public static class ScoreChanges
{
    /// <summary>The dyad's events at global positions up to <paramref name="position"/>.</summary>
    public static DyadEvents UpTo(DyadEvents events, long position) =>
        events.LastPosition <= position
            ? events
            : DyadEvents.Empty(events.Dyad).Apply(events.ByPosition.Values.TakeWhile(e => e.Position <= position));

    /// <summary>The question a change at <paramref name="cause"/> answers, over the dyad's own events up to it.</summary>
    public static ScoreQuery QueryAt(DyadEvents upTo, ChangeCause cause)
    {
        var knownAt = upTo.ByPosition.Values.Select(e => e.RecordedAt).Append(cause.RecordedAt).Max();
        return new ScoreQuery(DateOnly.FromDateTime(knownAt.UtcDateTime), knownAt);
    }

    /// <summary>What an event is to the stream it was recorded on, and the interactions it names.</summary>
    public static (ChangeKind Kind, IReadOnlyList<Guid> Targets) KindOf(ILedgerEvent e) => e switch
    {
        InteractionCorrected c => (ChangeKind.Corrected, [c.CorrectedEventId]),
        InteractionRetracted r => (ChangeKind.Retracted, [r.RetractedEventId]),
        InteractionsMerged m => (ChangeKind.Merged, m.MergedEventIds),
        _ => (ChangeKind.Recorded, []),
    };

    /// <summary>What an event of the stored type <paramref name="eventType"/> is to its own stream.</summary>
    public static ChangeKind KindOf(string eventType) =>
        Domain.Contracts.EventTypes.All.FirstOrDefault(t => t.Name == eventType)?.ClrType switch
        {
            { } t when t == typeof(InteractionCorrected) => ChangeKind.Corrected,
            { } t when t == typeof(InteractionRetracted) => ChangeKind.Retracted,
            { } t when t == typeof(InteractionsMerged) => ChangeKind.Merged,
            _ => ChangeKind.Recorded,
        };

    /// <summary>
    /// An exact dyad's change at one event of its own stream, from its events alone: the reference the projection's
    /// change log must equal for every dyad that is not a country dyad with roll-ups.
    /// </summary>
    public static ScoreChange Own(DyadEvents events, long position, ScoringModel model)
    {
        var at = events.ByPosition[position];
        var upTo = UpTo(events, position);
        var cause = new ChangeCause(position, at.Event.EventId, Scorer.TypeName(at.Event), at.RecordedAt, events.Dyad.Key);
        var query = QueryAt(upTo, cause);
        var (kind, targets) = KindOf(at.Event);
        return Between(
            events.Dyad, cause, 0, kind, targets, query, model,
            [Scorer.Derive(UpTo(events, position - 1), query, model)],
            [Scorer.Derive(upTo, query, model)]);
    }

    /// <summary>
    /// The change <paramref name="cause"/> makes to <paramref name="dyad"/> under <paramref name="query"/>, from the
    /// contributions that count toward the dyad without the event (<paramref name="before"/>) and with it.
    /// </summary>
    public static ScoreChange Between(
        Dyad dyad, ChangeCause cause, int sequence, ChangeKind kind, IReadOnlyList<Guid> targets, ScoreQuery query, ScoringModel model,
        IReadOnlyList<ContributionSet> before, IReadOnlyList<ContributionSet> after)
    {
        var was = Scorer.Score(dyad, query, model, before);
        var now = Scorer.Score(dyad, query, model, after);
        return new ScoreChange(
            cause.Position, sequence, dyad.Key, cause.EventId, cause.EventType, kind, targets, cause.RecordedDyad,
            ViaOf(cause, targets, now.Contributions) ?? ViaOf(cause, targets, was.Contributions),
            model.Key, query.AsOf, query.KnownAt, ScoreFigures.Of(was), ScoreFigures.Of(now),
            RevisedBuckets(dyad, query, model, was.Contributions, now.Contributions));
    }

    /// <summary>
    /// True when an event of another actor pair concerns what counts toward a country dyad: an interaction it
    /// records, corrects, retracts or merges counts toward it with or without the event.
    /// </summary>
    public static bool Concerns(ChangeCause cause, IReadOnlyList<Guid> targets, IReadOnlyList<ContributionSet> before, IReadOnlyList<ContributionSet> after) =>
        before.Concat(after).SelectMany(s => s.Contributions).Any(c => c.RecordedDyad == cause.RecordedDyad && Names(c, cause, targets));

    /// <summary>
    /// The yearly buckets whose figures differ between the two sides, with both. Only a bucket holding a contribution
    /// that is on one side and not the other (by event, date and weight) can differ, so only their years are computed.
    /// </summary>
    private static IReadOnlyList<BucketChange> RevisedBuckets(
        Dyad dyad, ScoreQuery query, ScoringModel model, IReadOnlyList<Contribution> before, IReadOnlyList<Contribution> after)
    {
        var was = before.Select(c => (c.EventId, c.OccurredOn, c.Weight)).ToHashSet();
        var now = after.Select(c => (c.EventId, c.OccurredOn, c.Weight)).ToHashSet();
        was.SymmetricExceptWith(now);
        var dates = was.Select(c => ScoreQuery.EffectiveDate(Domain.Time.PartialDate.Parse(c.OccurredOn))).ToArray();
        if (dates.Length == 0)
        {
            return [];
        }

        var (from, to) = (dates.Min(), dates.Max());
        var points = Scorer.Timeline(dyad, from, to, Bucket.Year, query, model, before).Points
            .Zip(Scorer.Timeline(dyad, from, to, Bucket.Year, query, model, after).Points);
        return [.. points
            .Select(p => (p.First, Before: BucketFigures.Of(p.First), After: BucketFigures.Of(p.Second)))
            .Where(p => p.Before != p.After)
            .Select(p => new BucketChange(p.First.Label, p.First.Start, p.First.End, p.Before, p.After))];
    }

    private static string? ViaOf(ChangeCause cause, IReadOnlyList<Guid> targets, IReadOnlyList<Contribution> contributions) =>
        contributions.FirstOrDefault(c => c.Via is not null && c.RecordedDyad == cause.RecordedDyad && Names(c, cause, targets))?.Via;

    private static bool Names(Contribution c, ChangeCause cause, IReadOnlyList<Guid> targets) =>
        c.EventId == cause.EventId || c.CorrectedBy == cause.EventId || targets.Contains(c.EventId);
}
