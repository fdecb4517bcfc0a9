namespace KarabakhLedger.Service.Subscriptions;

/// <summary>
/// A dyad's score after one event of its stream: the SSE message of <c>GET /api/subscriptions/scores</c> (its
/// <c>id</c> is <see cref="Position"/>) and the Wolverine message the service publishes. The score is the one the
/// ledger gave when that event was appended: only the dyad's events up to <see cref="Position"/> count,
/// <see cref="KnownAt"/> is the latest recording time among them and <see cref="AsOf"/> its UTC day. So the same
/// position always yields the same message, on any node and in any replay (docs/adr/0008-subscriptions.md).
/// </summary>
public sealed record RelationshipScoreChanged(
    long Position,
    string Dyad,
    Guid EventId,
    string EventType,
    string Model,
    DateOnly AsOf,
    DateTimeOffset KnownAt,
    decimal Score,
    decimal Cooperation,
    decimal Conflict,
    decimal Net,
    int Events,
    string Digest);
