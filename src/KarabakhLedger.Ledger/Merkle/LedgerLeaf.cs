using System.Buffers.Binary;
using System.Text;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// One entry of the ledger's Merkle log: version <see cref="StreamVersion"/> of stream <see cref="StreamId"/>, the
/// event <see cref="EventId"/> with chain hash <see cref="EventHash"/> (<see cref="Store.EventHash"/>, lower-case hex).
/// Leaf <c>i</c> of the log is the event with the <c>i</c>-th smallest global position (0-based): the log's order is
/// the global order, and the leaf index, not the store's position number, says where an event stands in it.
/// </summary>
/// <remarks>
/// The leaf's bytes, which the tree hashes as <c>SHA-256(0x00 || leaf)</c>, are
/// <code>
/// 0x02                                   format version, 1 byte
/// stream version                         unsigned 64-bit, big-endian
/// event id                               16 bytes: the 32 hex digits of the id's text form, in order
/// length of the stream id in UTF-8 bytes unsigned 32-bit, big-endian
/// stream id                              UTF-8
/// event hash                             the 32 bytes the hex text stands for
/// </code>
/// The event hash already covers the event's id, type, schema, data, recording time and its predecessor's hash; the
/// leaf binds it to where the event stands in its stream, and names the event so that a verifier can tell an altered
/// event from an inserted or a missing one. Store positions are left out, as they are of the event hash: a copy of the
/// ledger in another store numbers its positions its own way and still has the same log (docs/checkpoints.md).
/// </remarks>
public sealed record LedgerLeaf(string StreamId, long StreamVersion, Guid EventId, string EventHash)
{
    public const byte FormatVersion = 0x02;

    public static LedgerLeaf Of(StoredEvent e) => new(e.StreamId, e.StreamVersion, e.EventId, e.Hash);

    /// <summary>The leaf's bytes as the remarks above lay them out.</summary>
    /// <exception cref="FormatException">the event hash is not 64 hex digits, or the stream version is negative.</exception>
    public byte[] Encode()
    {
        if (StreamVersion < 0)
        {
            throw new FormatException($"A leaf's stream version ({StreamVersion}) is not negative.");
        }

        if (EventHash.Length != 2 * MerkleHash.Size)
        {
            throw new FormatException($"An event hash is {2 * MerkleHash.Size} hex digits, not {EventHash.Length}.");
        }

        var stream = Encoding.UTF8.GetBytes(StreamId);
        var bytes = new byte[1 + 8 + 16 + 4 + stream.Length + MerkleHash.Size];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1), (ulong)StreamVersion);
        EventId.TryWriteBytes(bytes.AsSpan(9), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(25), (uint)stream.Length);
        stream.CopyTo(bytes.AsSpan(29));
        Convert.FromHexString(EventHash).CopyTo(bytes.AsSpan(29 + stream.Length));
        return bytes;
    }

    /// <summary>The leaf's hash in the tree: <c>SHA-256(0x00 || leaf)</c>.</summary>
    public byte[] Hash() => MerkleHash.Leaf(Encode());
}
