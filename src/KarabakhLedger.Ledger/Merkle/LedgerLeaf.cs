using System.Buffers.Binary;
using System.Text;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// One entry of the ledger's Merkle log: the event at global <see cref="Position"/>, which is version
/// <see cref="StreamVersion"/> of stream <see cref="StreamId"/> with chain hash <see cref="EventHash"/>
/// (<see cref="Store.EventHash"/>, lower-case hex). Leaf <c>i</c> of the log is the event with the <c>i</c>-th
/// smallest position (0-based): the log's order is the global order.
/// </summary>
/// <remarks>
/// The leaf's bytes, which the tree hashes as <c>SHA-256(0x00 || leaf)</c>, are
/// <code>
/// 0x01                                   format version, 1 byte
/// position                               unsigned 64-bit, big-endian
/// stream version                         unsigned 64-bit, big-endian
/// length of the stream id in UTF-8 bytes unsigned 32-bit, big-endian
/// stream id                              UTF-8
/// event hash                             the 32 bytes the hex text stands for
/// </code>
/// The event hash already covers the event's id, type, schema, data, recording time and its predecessor's hash; the
/// leaf binds it to where the event stands, in its stream and in the global order.
/// </remarks>
public sealed record LedgerLeaf(long Position, string StreamId, long StreamVersion, string EventHash)
{
    public const byte FormatVersion = 0x01;

    public static LedgerLeaf Of(StoredEvent e) => new(e.Position, e.StreamId, e.StreamVersion, e.Hash);

    /// <summary>The leaf's bytes as the remarks above lay them out.</summary>
    /// <exception cref="FormatException">the event hash is not 64 hex digits, or a number is negative.</exception>
    public byte[] Encode()
    {
        if (Position < 0 || StreamVersion < 0)
        {
            throw new FormatException($"A leaf's position ({Position}) and stream version ({StreamVersion}) are not negative.");
        }

        if (EventHash.Length != 2 * MerkleHash.Size)
        {
            throw new FormatException($"An event hash is {2 * MerkleHash.Size} hex digits, not {EventHash.Length}.");
        }

        var stream = Encoding.UTF8.GetBytes(StreamId);
        var bytes = new byte[1 + 8 + 8 + 4 + stream.Length + MerkleHash.Size];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1), (ulong)Position);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(9), (ulong)StreamVersion);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17), (uint)stream.Length);
        stream.CopyTo(bytes.AsSpan(21));
        Convert.FromHexString(EventHash).CopyTo(bytes.AsSpan(21 + stream.Length));
        return bytes;
    }

    /// <summary>The leaf's hash in the tree: <c>SHA-256(0x00 || leaf)</c>.</summary>
    public byte[] Hash() => MerkleHash.Leaf(Encode());
}
