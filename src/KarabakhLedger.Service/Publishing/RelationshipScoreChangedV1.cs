using KarabakhLedger.Scoring.Changes;
using Wolverine;
using Wolverine.Attributes;

namespace KarabakhLedger.Service.Publishing;

/// <summary>
/// Version 1 of <see cref="RelationshipScoreChanged"/>, as messages stored in the outbox before version 2 hold it (under
/// its .NET type name of the time). Wolverine hands such a message to the version 2 handlers through
/// <see cref="Transform"/>: what version 1 did not carry is absent (no <see cref="RelationshipScoreChanged.Before"/>, no
/// buckets, no targets), and the kind follows from the event type.
/// </summary>
[MessageIdentity(MessageType)]
public sealed record RelationshipScoreChangedV1(
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
    string Digest) : IForwardsTo<RelationshipScoreChanged>
{
    public const string MessageType = "KarabakhLedger.Service.Subscriptions.RelationshipScoreChanged";

    public RelationshipScoreChanged Transform() => new(
        Position, Dyad, EventId, EventType, Model, AsOf, KnownAt, Score, Cooperation, Conflict, Net, Events, Digest,
        0, ScoreChanges.KindOf(EventType), [], Dyad, null, null, []);
}
