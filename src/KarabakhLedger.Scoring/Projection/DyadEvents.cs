using System.Collections.Immutable;
using KarabakhLedger.Domain.Dyads;

namespace KarabakhLedger.Scoring.Projection;

/// <summary>
/// Everything a dyad's projection knows: its stream's events by global position. Applying is idempotent by
/// position, so a feed that delivers at least once, in any order, with replays, yields the same state.
/// Changed only by <see cref="Apply"/>, which returns a new value.
/// </summary>
public sealed record DyadEvents(Dyad Dyad, ImmutableSortedDictionary<long, ProjectedEvent> ByPosition)
{
    public static DyadEvents Empty(Dyad dyad) => new(dyad, ImmutableSortedDictionary<long, ProjectedEvent>.Empty);

    /// <summary>The highest global position applied; 0 when none.</summary>
    public long LastPosition => ByPosition.Count == 0 ? 0 : ByPosition.Keys.Last();

    public int Count => ByPosition.Count;

    public DyadEvents Apply(ProjectedEvent e) =>
        ByPosition.ContainsKey(e.Position) ? this : this with { ByPosition = ByPosition.Add(e.Position, e) };

    public DyadEvents Apply(IEnumerable<ProjectedEvent> events) => events.Aggregate(this, (state, e) => state.Apply(e));

    /// <summary>
    /// The dyad as it was known at <paramref name="knownAt"/> (transaction time): only events, corrections and
    /// retractions recorded by then, applied in the order they were recorded.
    /// </summary>
    public DyadHistory KnownAt(DateTimeOffset knownAt) =>
        ByPosition.Values.Where(e => e.RecordedAt <= knownAt).Aggregate(DyadHistory.Empty, (h, e) => h.Apply(e.Event));
}
