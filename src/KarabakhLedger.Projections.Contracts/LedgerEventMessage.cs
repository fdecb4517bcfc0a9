namespace KarabakhLedger.Projections.Contracts;

/// <summary>
/// A stored ledger event as grains exchange and snapshot it: where it stands in the global order and in its
/// stream, its identity, type and schema version, its JSON exactly as stored, when it was recorded, and its hash.
/// The stream it belongs to is implied by the dyad grain that receives it.
/// </summary>
[GenerateSerializer, Immutable, Alias("karabakh.ledger-event")]
public sealed record LedgerEventMessage(
    [property: Id(0)] long Position,
    [property: Id(1)] long StreamVersion,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string Type,
    [property: Id(4)] int SchemaVersion,
    [property: Id(5)] string Data,
    [property: Id(6)] DateTimeOffset RecordedAt,
    [property: Id(7)] string Hash);
