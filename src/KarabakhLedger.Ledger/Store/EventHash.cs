using System.Buffers;
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
        DateTimeOffset recordedAt, string previousHash)
    {
        var buffers = Buffers.ForThisThread();
        CanonicalInto(buffers, data);
        return Digest(buffers, streamId, streamVersion, eventId, type, schemaVersion, buffers.Canonical.WrittenSpan, recordedAt, previousHash);
    }

    /// <summary>
    /// The same hash from the canonical form of the data, computed ahead by <see cref="CanonicalData"/>: the one part of
    /// the preimage that does not depend on the chain, so a long chain can have it computed on every core first.
    /// </summary>
    public static string Compute(
        string streamId, long streamVersion, Guid eventId, string type, int schemaVersion, ReadOnlySpan<byte> canonicalData,
        DateTimeOffset recordedAt, string previousHash) =>
        Digest(Buffers.ForThisThread(), streamId, streamVersion, eventId, type, schemaVersion, canonicalData, recordedAt, previousHash);

    /// <summary>The canonical UTF-8 text of an event's data (<see cref="CanonicalJson"/>), as the preimage holds it.</summary>
    public static byte[] CanonicalData(string data)
    {
        var buffers = Buffers.ForThisThread();
        CanonicalInto(buffers, data);
        return buffers.Canonical.WrittenSpan.ToArray();
    }

    public static string Compute(StoredEvent e) =>
        Compute(e.StreamId, e.StreamVersion, e.EventId, e.Type, e.SchemaVersion, e.Data, e.RecordedAt, e.PreviousHash);

    /// <summary>The exact bytes whose SHA-256 is the event's hash: the UTF-8 JSON array the summary describes.</summary>
    public static byte[] Preimage(StoredEvent e)
    {
        var buffers = Buffers.ForThisThread();
        CanonicalInto(buffers, e.Data);
        WritePreimage(buffers, e.StreamId, e.StreamVersion, e.EventId, e.Type, e.SchemaVersion, buffers.Canonical.WrittenSpan, e.RecordedAt, e.PreviousHash);
        return buffers.Preimage.WrittenSpan.ToArray();
    }

    private static void CanonicalInto(Buffers buffers, string data)
    {
        buffers.Canonical.ResetWrittenCount();
        CanonicalJson.Canonicalize(data, buffers.Canonical);
    }

    private static string Digest(
        Buffers buffers, string streamId, long streamVersion, Guid eventId, string type, int schemaVersion, ReadOnlySpan<byte> canonicalData,
        DateTimeOffset recordedAt, string previousHash)
    {
        WritePreimage(buffers, streamId, streamVersion, eventId, type, schemaVersion, canonicalData, recordedAt, previousHash);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffers.Preimage.WrittenSpan, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// Writes the preimage into the thread's reused buffer: the array around the canonical UTF-8 text of the data,
    /// that text written as a JSON string straight from its bytes.
    /// </summary>
    private static void WritePreimage(
        Buffers buffers, string streamId, long streamVersion, Guid eventId, string type, int schemaVersion, ReadOnlySpan<byte> canonicalData,
        DateTimeOffset recordedAt, string previousHash)
    {
        buffers.Preimage.ResetWrittenCount();
        var writer = buffers.Writer;
        writer.Reset(buffers.Preimage);
        writer.WriteStartArray();
        writer.WriteStringValue("karabakh-ledger/v1");
        writer.WriteStringValue(streamId);
        writer.WriteNumberValue(streamVersion);
        writer.WriteStringValue(eventId.ToString("D"));
        writer.WriteStringValue(type);
        writer.WriteNumberValue(schemaVersion);
        writer.WriteStringValue(FormatTimestamp(recordedAt));
        writer.WriteStringValue(canonicalData);
        writer.WriteStringValue(previousHash);
        writer.WriteEndArray();
        writer.Flush();
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

    /// <summary>One thread's buffers and writer, reused from hash to hash (verify hashes on several threads at once).</summary>
    private sealed class Buffers
    {
        [ThreadStatic]
        private static Buffers? _current;

        public ArrayBufferWriter<byte> Canonical { get; } = new(4096);

        public ArrayBufferWriter<byte> Preimage { get; } = new(8192);

        public Utf8JsonWriter Writer { get; } = new(Stream.Null);

        public static Buffers ForThisThread() => _current ??= new Buffers();
    }
}
