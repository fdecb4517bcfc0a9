using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Scoring.Projection;

/// <summary>
/// One stored event of a dyad stream, as projections see it: where it stands in the global order, when it was
/// recorded (transaction time), its hash, and the event itself.
/// </summary>
public sealed record ProjectedEvent(long Position, long StreamVersion, DateTimeOffset RecordedAt, string Hash, ILedgerEvent Event);
