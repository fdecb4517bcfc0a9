using System.Collections.Immutable;
using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Dyads;

/// <summary>
/// An interaction as it stands: the event that recorded it, its latest facts, and the correction those facts
/// come from (none when they are the original's).
/// </summary>
public sealed record CurrentInteraction(InteractionEvent Recorded, InteractionFacts Facts, Guid? CorrectedBy);

/// <summary>
/// A dyad's interactions as they stand after every correction and retraction in its stream, in the order
/// they were recorded, and the merges recorded on it (<see cref="Merges"/>, in stream order; the fold applies them).
/// Changed only by <see cref="Apply"/>, which returns a new history.
/// </summary>
public sealed record DyadHistory(ImmutableDictionary<Guid, CurrentInteraction> Interactions, ImmutableList<Guid> Order)
{
    public static DyadHistory Empty { get; } = new(ImmutableDictionary<Guid, CurrentInteraction>.Empty, []);

    public ImmutableList<InteractionsMerged> Merges { get; init; } = [];

    public IEnumerable<CurrentInteraction> Current
    {
        get
        {
            foreach (var id in Order)
            {
                if (Interactions.TryGetValue(id, out var current))
                {
                    yield return current;
                }
            }
        }
    }

    public DyadHistory Apply(ILedgerEvent e) => Apply([e]);

    /// <summary>
    /// The events applied one after the other, in order: an interaction once (by id), a correction of one held, a
    /// retraction, a merge once (by id); anything else changes nothing.
    /// </summary>
    public DyadHistory Apply(IEnumerable<ILedgerEvent> events)
    {
        // Builders, not one immutable copy per event: a stream of 100,000 events is applied in one pass.
        var (interactions, order, merges) = (Interactions.ToBuilder(), Order.ToBuilder(), Merges.ToBuilder());
        foreach (var e in events)
        {
            switch (e)
            {
                case InteractionEvent i when !interactions.ContainsKey(i.EventId):
                    interactions.Add(i.EventId, new CurrentInteraction(i, i.Facts, null));
                    order.Add(i.EventId);
                    break;
                case InteractionCorrected c when interactions.TryGetValue(c.CorrectedEventId, out var current):
                    interactions[c.CorrectedEventId] = current with { Facts = c.Facts, CorrectedBy = c.EventId };
                    break;
                case InteractionRetracted r:
                    interactions.Remove(r.RetractedEventId);
                    break;
                case InteractionsMerged m when !merges.Any(held => held.EventId == m.EventId):
                    merges.Add(m);
                    break;
            }
        }

        return new DyadHistory(interactions.ToImmutable(), order.ToImmutable()) { Merges = merges.ToImmutable() };
    }

    public static DyadHistory From(IEnumerable<ILedgerEvent> events) => Empty.Apply(events);
}
