using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// What a command appended: the recording's id (the event id, or for a multilateral act the correlation id its dyad
/// events share) and every event with its dyad, stream version, global position and hash.
/// <see cref="Created"/> is false when everything was already in the ledger (the same object sent again).
/// </summary>
public sealed record RecordedResponse(Guid RecordingId, bool Created, IReadOnlyList<RecordedEvent> Events)
{
    public static RecordedResponse From(RecordedItem item) => new(
        item.Recording.Id,
        item.WasNew,
        item.Events.Select(e => new RecordedEvent(
            e.EventId,
            Dyad.TryFromStreamId(e.StreamId, out var dyad) ? dyad.Key : e.StreamId,
            e.StreamVersion,
            e.Position,
            e.Hash,
            e.Status)).ToArray());
}

/// <summary>One event a command appended, or found already appended (<see cref="Status"/>).</summary>
public sealed record RecordedEvent(Guid EventId, string Dyad, long StreamVersion, long Position, string Hash, AppendStatus Status);
