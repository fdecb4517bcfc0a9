using KarabakhLedger.Domain.Contracts;
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
}
