using System.Collections.Immutable;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Grains;
using Orleans.Storage;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Dyad snapshots in an <see cref="ISnapshotStore"/> (docs/adr/0028-tail-growing-dyad-snapshots.md): a head blob and
/// chunks in <see cref="DyadSnapshotFormat"/>, each chunk the events after the one before it, so a save writes only
/// the events after the last saved version. Read by the dyad grain and by <see cref="PersistedProjections"/>. A
/// snapshot stored before chunks existed (a whole-stream <see cref="DyadSnapshot"/> in Orleans' serializer) is
/// read too, and replaced by chunk 0 at its grain's next save.
/// </summary>
public sealed class DyadSnapshots(ISnapshotStore store, IGrainStorageSerializer legacy)
{
    /// <summary>The state name of a dyad's snapshot in the store (the <c>[PersistentState]</c> name it had before ADR 28).</summary>
    public const string StateName = "dyad";

    /// <summary>
    /// What is stored for <paramref name="grainId"/>, assembled in version order. A snapshot that cannot be used (not
    /// a contiguous stream prefix, chunks that do not match their head, an unknown format version) reads as no
    /// events with a <see cref="DyadSnapshotRead.Problem"/>, and its etag, so the next save replaces it.
    /// </summary>
    public async Task<DyadSnapshotRead> ReadAsync(string grainId, CancellationToken cancellationToken = default)
    {
        var stored = await store.ReadAsync(StateName, grainId, cancellationToken);
        if (stored is null)
        {
            return DyadSnapshotRead.Nothing;
        }

        try
        {
            if (!DyadSnapshotFormat.IsHead(stored.Data))
            {
                var events = legacy.Deserialize<DyadSnapshot>(new BinaryData(stored.Data))?.Events ?? [];
                return IsContiguous(events, 1)
                    ? new DyadSnapshotRead(events, stored.ETag, 0, 0, null)
                    : Refused(stored, "the whole-stream snapshot is not a contiguous stream prefix");
            }

            var head = DyadSnapshotFormat.DecodeHead(stored.Data);
            if (head.Chunks != stored.Chunks.Count)
            {
                return Refused(stored, $"its head names {head.Chunks} chunks, the store has {stored.Chunks.Count}");
            }

            var all = ImmutableArray.CreateBuilder<LedgerEventMessage>();
            for (var i = 0; i < stored.Chunks.Count; i++)
            {
                var events = DyadSnapshotFormat.DecodeChunk(stored.Chunks[i]);
                if (events.Count == 0 || !IsContiguous(events, all.Count + 1))
                {
                    return Refused(stored, $"chunk {i} does not continue the stream at version {all.Count + 1}");
                }

                all.AddRange(events);
            }

            if (all.Count > 0 && (all[^1].StreamVersion, all[^1].Position, all[^1].EventId, all[^1].Hash) != (head.StreamVersion, head.Position, head.EventId, head.Hash))
            {
                return Refused(stored, "its chunks do not end with the event its head names");
            }

            return new DyadSnapshotRead(all.DrainToImmutable(), stored.ETag, head.Chunks, head.StreamVersion, null);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or NotSupportedException or Orleans.Serialization.SerializerException)
        {
            return Refused(stored, e.Message);
        }
    }

    /// <summary>
    /// Stores <paramref name="tail"/> (the events after the saved version, in order) as chunk number
    /// <paramref name="chunk"/> with a new head, if the stored etag is still <paramref name="etag"/>.
    /// </summary>
    /// <returns>The new etag.</returns>
    /// <exception cref="SnapshotConflictException">another activation wrote first.</exception>
    public Task<string> AppendAsync(string grainId, string? etag, int chunk, IReadOnlyList<LedgerEventMessage> tail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tail);
        if (tail.Count == 0)
        {
            throw new ArgumentException("A chunk holds at least one event.", nameof(tail));
        }

        var last = tail[^1];
        var head = DyadSnapshotFormat.EncodeHead(new DyadSnapshotHead(chunk + 1, last.StreamVersion, last.Position, last.EventId, last.Hash));
        return store.AppendAsync(StateName, grainId, head, chunk, DyadSnapshotFormat.EncodeChunk(tail), etag, cancellationToken);
    }

    private static DyadSnapshotRead Refused(StoredSnapshot stored, string problem) => new([], stored.ETag, 0, 0, problem);

    private static bool IsContiguous(IReadOnlyList<LedgerEventMessage> events, long from)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].StreamVersion != from + i)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A dyad snapshot as read: its events from version 1 (the JSON decoded for projecting them, then dropped by the
/// caller), the etag to write the next chunk against, how many chunks it has and the version they reach (both 0
/// for a whole-stream snapshot of the older format, whose events the next save writes again as chunk 0), and why
/// it was refused, if it was.
/// </summary>
public sealed record DyadSnapshotRead(ImmutableArray<LedgerEventMessage> Events, string? ETag, int Chunks, long SavedVersion, string? Problem)
{
    public static readonly DyadSnapshotRead Nothing = new([], null, 0, 0, null);
}
