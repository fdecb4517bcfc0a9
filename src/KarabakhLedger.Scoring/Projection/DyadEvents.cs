using System.Collections.Immutable;
using KarabakhLedger.Domain.Dyads;

namespace KarabakhLedger.Scoring.Projection;

/// <summary>
/// Everything a dyad's projection knows: its stream's events by global position. Applying is idempotent by
/// position, so a feed that delivers at least once, in any order, with replays, yields the same state.
/// Changed only by <see cref="Apply"/>, which returns a new value.
/// </summary>
public sealed record DyadEvents
{
    private DyadEvents(Dyad dyad, ImmutableSortedDictionary<long, ProjectedEvent> byPosition, long lastPosition)
    {
        Dyad = dyad;
        ByPosition = byPosition;
        LastPosition = lastPosition;
    }

    public Dyad Dyad { get; }

    public ImmutableSortedDictionary<long, ProjectedEvent> ByPosition { get; }

    /// <summary>The highest global position applied; 0 when none. Kept, not computed: the feed asks on every delivery.</summary>
    public long LastPosition { get; }

    public static DyadEvents Empty(Dyad dyad) => new(dyad, ImmutableSortedDictionary<long, ProjectedEvent>.Empty, 0);

    public int Count => ByPosition.Count;

    public DyadEvents Apply(ProjectedEvent e) =>
        ByPosition.ContainsKey(e.Position) ? this : new(Dyad, ByPosition.Add(e.Position, e), Math.Max(LastPosition, e.Position));

    public DyadEvents Apply(IEnumerable<ProjectedEvent> events) => events.Aggregate(this, (state, e) => state.Apply(e));

    /// <summary>
    /// The dyad as it was known at <paramref name="knownAt"/> (transaction time): only events, corrections and
    /// retractions recorded by then, applied in the order they were recorded.
    /// </summary>
    public DyadHistory KnownAt(DateTimeOffset knownAt) =>
        DyadHistory.From(ByPosition.Values.Where(e => e.RecordedAt <= knownAt).Select(e => e.Event));
}
