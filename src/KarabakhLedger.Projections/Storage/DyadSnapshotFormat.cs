using System.Text;
using KarabakhLedger.Projections.Contracts;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// The binary form of a dyad's snapshot (docs/adr/0028-tail-growing-dyad-snapshots.md), little-endian, every string
/// UTF-8 with a 7-bit encoded length, each record starting with its magic and a format version:
/// <list type="bullet">
/// <item>the <b>head</b> (the state's blob): <c>KLDH</c>, version, chunk count (int32), then the last event the
/// chunks hold: stream version and position (int64), event id (16 bytes), hash;</item>
/// <item>a <b>chunk</b>: <c>KLDC</c>, version, event count (int32), then per event its position and stream version
/// (int64), event id (16 bytes), type, schema version (int32), recorded-at as UTC ticks (int64) and offset minutes
/// (int16), hash, and its stored JSON.</item>
/// </list>
/// A reader refuses (<see cref="FormatException"/>) a record with another magic, a version it does not know, or a
/// length that does not add up; a format version 2 would be read here beside version 1.
/// </summary>
public static class DyadSnapshotFormat
{
    /// <summary>The format version this code writes.</summary>
    public const byte Version = 1;

    private static readonly byte[] HeadMagic = "KLDH"u8.ToArray();
    private static readonly byte[] ChunkMagic = "KLDC"u8.ToArray();

    /// <summary>True when <paramref name="blob"/> is a head of this format (of any version), not an older whole-stream snapshot.</summary>
    public static bool IsHead(ReadOnlySpan<byte> blob) => blob.StartsWith(HeadMagic);

    public static byte[] EncodeHead(DyadSnapshotHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        using var buffer = new MemoryStream();
        using (var writer = Start(buffer, HeadMagic))
        {
            writer.Write(head.Chunks);
            writer.Write(head.StreamVersion);
            writer.Write(head.Position);
            writer.Write(head.EventId.ToByteArray());
            writer.Write(head.Hash);
        }

        return buffer.ToArray();
    }

    public static DyadSnapshotHead DecodeHead(byte[] blob) => Decode(blob, HeadMagic, reader =>
        new DyadSnapshotHead(reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(), new Guid(reader.ReadBytes(16)), reader.ReadString()));

    public static byte[] EncodeChunk(IReadOnlyList<LedgerEventMessage> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var buffer = new MemoryStream();
        using (var writer = Start(buffer, ChunkMagic))
        {
            writer.Write(events.Count);
            foreach (var e in events)
            {
                writer.Write(e.Position);
                writer.Write(e.StreamVersion);
                writer.Write(e.EventId.ToByteArray());
                writer.Write(e.Type);
                writer.Write(e.SchemaVersion);
                writer.Write(e.RecordedAt.UtcTicks);
                writer.Write(checked((short)e.RecordedAt.Offset.TotalMinutes));
                writer.Write(e.Hash);
                writer.Write(e.Data);
            }
        }

        return buffer.ToArray();
    }

    public static IReadOnlyList<LedgerEventMessage> DecodeChunk(byte[] chunk) => Decode(chunk, ChunkMagic, reader =>
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > chunk.Length)
        {
            throw new FormatException($"A dyad snapshot chunk of {chunk.Length} bytes cannot hold {count} events.");
        }

        var events = new LedgerEventMessage[count];
        for (var i = 0; i < count; i++)
        {
            var position = reader.ReadInt64();
            var version = reader.ReadInt64();
            var id = new Guid(reader.ReadBytes(16));
            var type = reader.ReadString();
            var schemaVersion = reader.ReadInt32();
            var ticks = reader.ReadInt64();
            var offset = TimeSpan.FromMinutes(reader.ReadInt16());
            var hash = reader.ReadString();
            var data = reader.ReadString();
            events[i] = new LedgerEventMessage(position, version, id, type, schemaVersion, data, new DateTimeOffset(ticks + offset.Ticks, offset), hash);
        }

        return events;
    });

    private static BinaryWriter Start(MemoryStream buffer, byte[] magic)
    {
        var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true);
        writer.Write(magic);
        writer.Write(Version);
        return writer;
    }

    private static T Decode<T>(byte[] record, byte[] magic, Func<BinaryReader, T> read)
    {
        if (!record.AsSpan().StartsWith(magic) || record.Length <= magic.Length)
        {
            throw new FormatException($"Not a dyad snapshot record of kind {Encoding.ASCII.GetString(magic)}.");
        }

        var version = record[magic.Length];
        if (version != Version)
        {
            throw new FormatException($"Dyad snapshot format version {version} is not known to this version (it reads {Version}).");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(record, magic.Length + 1, record.Length - magic.Length - 1, writable: false), Encoding.UTF8);
            var value = read(reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new FormatException("A dyad snapshot record has bytes after its end.");
            }

            return value;
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("A dyad snapshot record ends too early.", e);
        }
    }
}

/// <summary>
/// A dyad snapshot's head: how many chunks it has and which event the last of them ends with, so a reader can
/// tell that the chunks it got are the ones the head was written with.
/// </summary>
public sealed record DyadSnapshotHead(int Chunks, long StreamVersion, long Position, Guid EventId, string Hash);
