using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Scoring.Projection;

namespace KarabakhLedger.Projections.Feed;

/// <summary>Conversions between the store's events, the grains' messages and the scoring library's projected events.</summary>
public static class LedgerEvents
{
    public static LedgerEventMessage ToMessage(this StoredEvent e) =>
        new(e.Position, e.StreamVersion, e.EventId, e.Type, e.SchemaVersion, e.Data, e.RecordedAt, e.Hash);

    public static ProjectedEvent ToProjected(this LedgerEventMessage m, EventSerializer serializer) =>
        new(m.Position, m.StreamVersion, m.RecordedAt, m.Hash, serializer.Deserialize(m.Type, m.SchemaVersion, m.Data));

    /// <summary>The dyad a stream belongs to; false for any stream that is not a well-formed dyad stream.</summary>
    public static bool TryDyadOf(string streamId, out Dyad dyad)
    {
        try
        {
            return Dyad.TryFromStreamId(streamId, out dyad);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            dyad = null!;
            return false;
        }
    }
}
