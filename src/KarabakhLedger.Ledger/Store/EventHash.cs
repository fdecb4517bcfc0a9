using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Domain.Contracts;

namespace KarabakhLedger.Ledger.Store;

/// <summary>
/// The per-stream hash chain. An event's hash is the lower-case hex SHA-256 of the UTF-8 JSON array
/// <c>["karabakh-ledger/v1", streamId, streamVersion, eventId, type, schemaVersion, recordedAt, data, previousHash]</c>
/// where <c>data</c> is the event's canonical JSON text (<see cref="CanonicalJson"/>), <c>recordedAt</c> is UTC
/// ISO-8601 with microseconds, and the first event's previous hash is <see cref="Genesis"/>. The global position
/// is left out: it is the one thing that may differ between stores holding the same ledger.
/// </summary>
public static class EventHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(
        string streamId, long streamVersion, Guid eventId, string type, int schemaVersion, string data,
        DateTimeOffset recordedAt, string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Preimage(streamId, streamVersion, eventId, type, schemaVersion, data, recordedAt, previousHash)));

    public static string Compute(StoredEvent e) =>
        Compute(e.StreamId, e.StreamVersion, e.EventId, e.Type, e.SchemaVersion, e.Data, e.RecordedAt, e.PreviousHash);

    /// <summary>The exact bytes whose SHA-256 is the event's hash: the UTF-8 JSON array the summary describes.</summary>
    public static byte[] Preimage(StoredEvent e) =>
        Preimage(e.StreamId, e.StreamVersion, e.EventId, e.Type, e.SchemaVersion, e.Data, e.RecordedAt, e.PreviousHash);

    private static byte[] Preimage(
        string streamId, long streamVersion, Guid eventId, string type, int schemaVersion, string data,
        DateTimeOffset recordedAt, string previousHash)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue("karabakh-ledger/v1");
            writer.WriteStringValue(streamId);
            writer.WriteNumberValue(streamVersion);
            writer.WriteStringValue(eventId.ToString("D"));
            writer.WriteStringValue(type);
            writer.WriteNumberValue(schemaVersion);
            writer.WriteStringValue(FormatTimestamp(recordedAt));
            writer.WriteStringValue(CanonicalJson.Canonicalize(data));
            writer.WriteStringValue(previousHash);
            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>Timestamps are kept to the microsecond, the finest PostgreSQL stores.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    public static string FormatTimestamp(DateTimeOffset t) =>
        Truncate(t).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static bool SameContent(StoredEvent stored, EventToAppend candidate) =>
        stored.Type == candidate.Type
        && stored.SchemaVersion == candidate.SchemaVersion
        && CanonicalJson.Canonicalize(stored.Data) == CanonicalJson.Canonicalize(candidate.Data);
}
