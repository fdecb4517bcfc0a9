using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>
/// The two times of a bitemporal question. <see cref="AsOf"/> is valid time: interactions that had certainly
/// happened by that day count — one dated to a month or a year counts from the last day of that month or
/// year, and its age for decay is measured from that day. <see cref="KnownAt"/> is transaction time: only
/// what the ledger had recorded by then counts, corrections and retractions included. <see cref="Provenance"/> says
/// which provenances count (default curated: importing a dataset never changes a curated answer); it is applied in one
/// place, <see cref="Counts"/>, which every score, timeline, derivation and aggregate goes through.
/// </summary>
public sealed record ScoreQuery(DateOnly AsOf, DateTimeOffset KnownAt)
{
    public ProvenanceFilter Provenance { get; init; } = ProvenanceFilter.Curated;

    /// <summary>True when an interaction, as recorded, is of a provenance this query counts.</summary>
    public bool Counts(Domain.Interactions.InteractionEvent recorded) => Provenance.Includes(recorded);

    /// <summary>The day from which an interaction counts, and from which its age is measured.</summary>
    public static DateOnly EffectiveDate(PartialDate occurredOn) => occurredOn.End;

    /// <summary>"Now" in both times, from the clock the caller injects.</summary>
    public static ScoreQuery Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new ScoreQuery(DateOnly.FromDateTime(now.UtcDateTime), now);
    }
}
