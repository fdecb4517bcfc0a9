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
    public static ScoreQuery QueryAt(DyadEvents upTo, ChangeCause cause) =>
        QueryAt(upTo.Count == 0 ? null : upTo.ByPosition.Values.Max(e => e.RecordedAt), cause);

    /// <summary>The question a change at <paramref name="cause"/> answers, given the latest recording time among the dyad's events up to it.</summary>
    public static ScoreQuery QueryAt(DateTimeOffset? latestRecorded, ChangeCause cause)
    {
        var knownAt = latestRecorded is { } latest && latest > cause.RecordedAt ? latest : cause.RecordedAt;
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
        (Domain.Contracts.EventTypes.TryGet(eventType, out var stored) ? stored.ClrType : null) switch
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
        IReadOnlyList<ContributionSet> before, IReadOnlyList<ContributionSet> after) =>
        Between(dyad, cause, sequence, kind, targets, query, model, ScoreSide.Of(query, model, before), ScoreSide.Of(query, model, after));

    /// <summary><see cref="Between(Dyad, ChangeCause, int, ChangeKind, IReadOnlyList{Guid}, ScoreQuery, ScoringModel, IReadOnlyList{ContributionSet}, IReadOnlyList{ContributionSet})"/> from sides already scored.</summary>
    public static ScoreChange Between(
        Dyad dyad, ChangeCause cause, int sequence, ChangeKind kind, IReadOnlyList<Guid> targets, ScoreQuery query, ScoringModel model,
        ScoreSide before, ScoreSide after) =>
        new(
            cause.Position, sequence, dyad.Key, cause.EventId, cause.EventType, kind, targets, cause.RecordedDyad,
            ViaOf(cause, targets, after.Contributions) ?? ViaOf(cause, targets, before.Contributions),
            model.Key, query.AsOf, query.KnownAt, before.Figures, after.Figures,
            RevisedBuckets(before.Contributions, after.Contributions));

    /// <summary>
    /// True when an event of another actor pair concerns what counts toward a country dyad: an interaction it
    /// records, corrects, retracts or merges counts toward it with or without the event.
    /// </summary>
    public static bool Concerns(ChangeCause cause, IReadOnlyList<Guid> targets, ScoreSide before, ScoreSide after) =>
        before.Contributions.Concat(after.Contributions).Any(c => c.RecordedDyad == cause.RecordedDyad && Names(c, cause, targets));

    /// <summary>
    /// The yearly buckets whose figures differ between the two sides, with both. Only a bucket holding a contribution
    /// that is on one side and not the other (by event, date and weight) can differ, so only their years are computed.
    /// </summary>
    private static IReadOnlyList<BucketChange> RevisedBuckets(IReadOnlyList<Contribution> before, IReadOnlyList<Contribution> after)
    {
        // The two sides mostly share their contributions (the same instances): only the others are compared by value.
        var onlyBefore = new HashSet<Contribution>(before, ReferenceEqualityComparer.Instance);
        var onlyAfter = after.Where(c => !onlyBefore.Remove(c)).ToArray();
        var was = onlyBefore.Select(c => (c.EventId, c.OccurredOn, c.Weight)).ToHashSet();
        was.SymmetricExceptWith(onlyAfter.Select(c => (c.EventId, c.OccurredOn, c.Weight)));
        return [.. was
            .Select(c => Scorer.BucketStart(ScoreQuery.EffectiveDate(Domain.Time.PartialDate.Parse(c.OccurredOn)), Bucket.Year))
            .Distinct()
            .Order()
            .Select(start => (Was: Scorer.Point(start, Bucket.Year, before), Now: Scorer.Point(start, Bucket.Year, after)))
            .Select(p => (p.Was, Before: BucketFigures.Of(p.Was), After: BucketFigures.Of(p.Now)))
            .Where(p => p.Before != p.After)
            .Select(p => new BucketChange(p.Was.Label, p.Was.Start, p.Was.End, p.Before, p.After))];
    }

    private static string? ViaOf(ChangeCause cause, IReadOnlyList<Guid> targets, IReadOnlyList<Contribution> contributions) =>
        contributions.FirstOrDefault(c => c.Via is not null && c.RecordedDyad == cause.RecordedDyad && Names(c, cause, targets))?.Via;

    private static bool Names(Contribution c, ChangeCause cause, IReadOnlyList<Guid> targets) =>
        c.EventId == cause.EventId || c.CorrectedBy == cause.EventId || targets.Contains(c.EventId);
}
