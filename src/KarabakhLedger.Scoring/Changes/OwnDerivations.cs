using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Changes;

/// <summary>
/// A dyad stream's own derivations (<see cref="Scorer.Derive(DyadEvents, ScoreQuery, ScoringModel)"/>) at successive cuts of
/// the global order, each from the last one where that gives the same answer, so a change log costs about one
/// contribution per event rather than a derivation of the whole stream (docs/adr/0024-incremental-change-log.md). The
/// last derivation is reused when the cut holds the same events; it is extended when the cut adds one interaction
/// that no dedup rule keys and no merge names (or that does not count at the question at all). Anything else (a
/// correction, a retraction, a merge, a keyed or repeated interaction, another as-of day, model or provenance, or a
/// question that would not see every event of the cut) is derived from scratch. Events are held in position order.
/// The last few questions are kept apart (<see cref="Kept"/>), so the change log's question and an analyst's queries do
/// not evict each other. Not thread-safe: one grain activation uses it.
/// </summary>
public sealed class OwnDerivations(Dyad dyad)
{
    private readonly List<ProjectedEvent> _events = [];
    private readonly List<DateTimeOffset> _latestRecorded = [];
    private readonly HashSet<Guid> _ids = [];
    private readonly HashSet<Guid> _repeated = [];
    private readonly HashSet<Guid> _merged = [];
    /// <summary>How many derivations, of different questions, are kept.</summary>
    public const int Kept = 4;

    private readonly List<Derived> _recent = [];

    public int Count => _events.Count;

    /// <summary>Adds the stream's next event; its position must be after every event held.</summary>
    public void Append(ProjectedEvent e)
    {
        if (_events.Count > 0 && e.Position <= _events[^1].Position)
        {
            throw new ArgumentException($"{dyad.Key}: position {e.Position} is not after the last held, {_events[^1].Position}.", nameof(e));
        }

        _events.Add(e);
        _latestRecorded.Add(_latestRecorded.Count == 0 || e.RecordedAt > _latestRecorded[^1] ? e.RecordedAt : _latestRecorded[^1]);
        if (!_ids.Add(e.Event.EventId))
        {
            _repeated.Add(e.Event.EventId);
        }

        if (e.Event is InteractionsMerged m)
        {
            _merged.UnionWith(m.MergedEventIds);
        }
    }

    /// <summary>Forgets every event and derivation (the stream is being rebuilt).</summary>
    public void Clear()
    {
        _events.Clear();
        _latestRecorded.Clear();
        _ids.Clear();
        _repeated.Clear();
        _merged.Clear();
        _recent.Clear();
    }

    /// <summary>The question of a change at <paramref name="cause"/> (<see cref="ScoreChanges.QueryAt(DateTimeOffset?, ChangeCause)"/>).</summary>
    public ScoreQuery QueryAt(ChangeCause cause)
    {
        var held = CountUpTo(cause.Position);
        return ScoreChanges.QueryAt(held == 0 ? null : _latestRecorded[held - 1], cause);
    }

    /// <summary>The stream's own derivation with its events at global positions up to <paramref name="cut"/>, at <paramref name="query"/>.</summary>
    public ContributionSet At(long cut, ScoreQuery query, ScoringModel model)
    {
        var held = CountUpTo(cut);
        var seesAll = held == 0 || _latestRecorded[held - 1] <= query.KnownAt;
        var slot = !seesAll ? -1
            : _recent.FindIndex(d => d.Held == held && d.Answers(query, model)) is var exact and >= 0 ? exact
            : _recent.FindIndex(d => d.Held == held - 1 && d.Answers(query, model));
        var set = (slot < 0 ? null : Reuse(_recent[slot], held, query, model))
            ?? Scorer.Derive(DyadEvents.Empty(dyad).Apply(_events.Take(held)), query, model);
        if (seesAll)
        {
            if (slot >= 0)
            {
                _recent.RemoveAt(slot);
            }

            _recent.Insert(0, new Derived(held, query.AsOf, query.Provenance, model, set));
            if (_recent.Count > Kept)
            {
                _recent.RemoveAt(Kept);
            }
        }

        return set;
    }

    private ContributionSet? Reuse(Derived last, int held, ScoreQuery query, ScoringModel model)
    {
        if (last.Held == held)
        {
            return last.Set;
        }

        if (_events[held - 1] is not { Event: InteractionEvent added } e || _repeated.Contains(added.EventId))
        {
            return null;
        }

        if (!query.Counts(added) || ScoreQuery.EffectiveDate(added.Facts.OccurredOn) > query.AsOf)
        {
            // Not a candidate: dedup judges only candidates, so nothing else moves either.
            return last.Set;
        }

        if (_merged.Contains(added.EventId) || model.Dedup.Any(rule => rule.KeyOf(added, added.Facts) is not null))
        {
            return null;
        }

        var contribution = Scorer.ContributionOf(new CurrentInteraction(added, added.Facts, null), e, null, query, model, dyad, (dyad.Key, null));
        var contributions = last.Set.Contributions.ToList();
        var effective = Scorer.Effective(contribution);
        contributions.Insert(First(contributions, c => Scorer.Effective(c) > effective), contribution);
        return last.Set with { Contributions = contributions };
    }

    private int CountUpTo(long position) => First(_events, e => e.Position > position);

    /// <summary>The index of the first item of an ordered list that is past the point, by binary search.</summary>
    private static int First<T>(IReadOnlyList<T> ordered, Func<T, bool> past)
    {
        var (low, high) = (0, ordered.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            (low, high) = past(ordered[middle]) ? (low, middle) : (middle + 1, high);
        }

        return low;
    }

    /// <summary>A derivation of the first <see cref="Held"/> events, by a question that saw all of them.</summary>
    private sealed record Derived(int Held, DateOnly AsOf, Domain.Provenance.ProvenanceFilter Provenance, ScoringModel Model, ContributionSet Set)
    {
        /// <summary>True when <paramref name="query"/> under <paramref name="model"/> derives what this question derived, given it sees as much.</summary>
        public bool Answers(ScoreQuery query, ScoringModel model) =>
            AsOf == query.AsOf && ReferenceEquals(Model, model) && Provenance.Included.SequenceEqual(query.Provenance.Included);
    }
}
