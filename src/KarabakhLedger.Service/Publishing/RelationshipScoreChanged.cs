using System.Diagnostics.CodeAnalysis;
using KarabakhLedger.Scoring.Changes;
using Wolverine.Attributes;

namespace KarabakhLedger.Service.Publishing;

/// <summary>
/// A dyad's score change, version 2: one entry of the projection's change log (docs/adr/0021-change-log-from-the-grains.md),
/// the SSE message of <c>GET /api/subscriptions/scores</c> and the Wolverine message the service publishes. The score
/// fields are the dyad's score just after the event at <see cref="Position"/>, as the ledger stood then (only the events
/// up to it count, <see cref="KnownAt"/> is the latest recording time among them, <see cref="AsOf"/> its UTC day), as in
/// version 1; <see cref="Before"/> is the same question without that event, and <see cref="Buckets"/> the yearly
/// timeline buckets it revised. <see cref="Kind"/>, <see cref="TargetEventIds"/>, <see cref="RecordedDyad"/> and
/// <see cref="Via"/> say what the event was to this dyad. A position may carry several changes (the actor pair's, then
/// the country dyads it rolled up into): (<see cref="Position"/>, <see cref="Dyad"/>) is unique, <see cref="Sequence"/>
/// orders them.
/// </summary>
[MessageIdentity(MessageType)]
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
    string Digest,
    int Sequence,
    ChangeKind Kind,
    IReadOnlyList<Guid> TargetEventIds,
    string RecordedDyad,
    string? Via,
    ScoreFigures? Before,
    IReadOnlyList<BucketChange> Buckets)
{
    /// <summary>Wolverine's name for this version of the message; version 1 went by its .NET type name.</summary>
    public const string MessageType = "karabakh.relationship-score-changed.v2";

    public const int CurrentVersion = 2;

    /// <summary>The message's schema version: 2 (a message upcast from version 1 says 2 as well, with <see cref="Before"/> null).</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance property so that it is serialized: every message carries its schema version.")]
    public int Version => CurrentVersion;

    public static RelationshipScoreChanged From(ScoreChange change) => new(
        change.Position, change.Dyad, change.EventId, change.EventType, change.Model, change.AsOf, change.KnownAt,
        change.After.Score, change.After.Cooperation, change.After.Conflict, change.After.Net, change.After.Events, change.After.Digest,
        change.Sequence, change.Kind, change.TargetEventIds, change.RecordedDyad, change.Via, change.Before, change.Buckets);
}
