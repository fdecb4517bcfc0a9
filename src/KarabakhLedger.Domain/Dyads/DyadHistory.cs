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

    public IEnumerable<CurrentInteraction> Current => Order.Where(Interactions.ContainsKey).Select(id => Interactions[id]);

    public DyadHistory Apply(ILedgerEvent e) => e switch
    {
        InteractionEvent i when !Interactions.ContainsKey(i.EventId) =>
            this with { Interactions = Interactions.Add(i.EventId, new CurrentInteraction(i, i.Facts, null)), Order = Order.Add(i.EventId) },
        InteractionCorrected c when Interactions.TryGetValue(c.CorrectedEventId, out var current) =>
            this with { Interactions = Interactions.SetItem(c.CorrectedEventId, current with { Facts = c.Facts, CorrectedBy = c.EventId }) },
        InteractionRetracted r => this with { Interactions = Interactions.Remove(r.RetractedEventId) },
        InteractionsMerged m when !Merges.Any(held => held.EventId == m.EventId) => this with { Merges = Merges.Add(m) },
        _ => this,
    };

    public static DyadHistory From(IEnumerable<ILedgerEvent> events) => events.Aggregate(Empty, (h, e) => h.Apply(e));
}
