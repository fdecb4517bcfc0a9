using System.Runtime.ExceptionServices;

namespace KarabakhLedger.Ledger.Store;

/// <summary>What a stream looks like to an append in progress: its version and last hash, inside the transaction.</summary>
internal sealed record StreamHead(long Version, string LastHash);

/// <summary>A new event with everything the store must write for it.</summary>
internal sealed record PlannedWrite(StreamAppend Append, EventToAppend Event, long StreamVersion, string PreviousHash, string Hash, DateTimeOffset RecordedAt);

/// <summary>
/// The store-independent rules of an append, so every adapter decides alike: validation of the request,
/// idempotency by event id, expected-version checks and the hash chain. Adapters supply what is stored,
/// inside their transaction, and write what comes out.
/// </summary>
internal static class AppendPlan
{
    public static void Validate(IReadOnlyList<StreamAppend> appends)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<Guid>();
        foreach (var append in appends)
        {
            if (string.IsNullOrWhiteSpace(append.StreamId))
            {
                throw new ArgumentException("A stream id must not be empty.", nameof(appends));
            }

            if (!streams.Add(append.StreamId))
            {
                throw new ArgumentException($"Stream '{append.StreamId}' appears twice in one append: merge its events.", nameof(appends));
            }

            foreach (var e in append.Events)
            {
                if (e.EventId == Guid.Empty)
                {
                    throw new ArgumentException("An event id must not be empty.", nameof(appends));
                }

                if (!ids.Add(e.EventId))
                {
                    throw new ArgumentException($"Event {e.EventId} appears twice in one append.", nameof(appends));
                }
            }
        }
    }

    /// <summary>
    /// Checks that <paramref name="e"/>, copied from another store, continues its stream exactly: the next
    /// version, the head's hash as its previous hash, and a hash that still matches its content.
    /// </summary>
    public static void CheckImport(StoredEvent e, StreamHead head)
    {
        var problem =
            e.StreamVersion != head.Version + 1 ? $"is version {e.StreamVersion} but the stream here is at version {head.Version}"
            : e.PreviousHash != head.LastHash ? "does not chain to the stream's last hash here"
            : EventHash.Compute(e) != e.Hash ? "does not match its own hash: the source event was altered"
            : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"Cannot import event {e.EventId} of '{e.StreamId}': it {problem}.");
        }
    }

    /// <summary>
    /// <see cref="Decide"/> for every stream of an append, the streams in parallel (a hash chain is sequential within
    /// its stream only). Whatever refuses the append is thrown for the first stream, in the order given, that refuses
    /// it, as deciding one stream after another would.
    /// </summary>
    public static (IReadOnlyList<StoredEvent> Existing, IReadOnlyList<PlannedWrite> Writes)[] DecideAll(
        IReadOnlyList<StreamAppend> appends, Func<string, StreamHead> headOf, IReadOnlyDictionary<Guid, StoredEvent> stored, DateTimeOffset recordedAt)
    {
        var decided = new (IReadOnlyList<StoredEvent> Existing, IReadOnlyList<PlannedWrite> Writes)[appends.Count];
        var refusals = new ExceptionDispatchInfo?[appends.Count];
        Parallel.For(0, appends.Count, i =>
        {
            try
            {
                decided[i] = Decide(appends[i], headOf(appends[i].StreamId), stored, recordedAt);
            }
            catch (Exception e)
            {
                refusals[i] = ExceptionDispatchInfo.Capture(e);
            }
        });
        Array.Find(refusals, r => r is not null)?.Throw();
        return decided;
    }

    /// <summary>
    /// Decides one stream's append. Events already stored (same id, same stream, same content) are reported
    /// and skipped. With an exact expected version, a retry of a whole append is idempotent, a fresh append
    /// must find the stream at that version, and a mix of stored and new events is a conflict.
    /// </summary>
    public static (IReadOnlyList<StoredEvent> Existing, IReadOnlyList<PlannedWrite> Writes) Decide(
        StreamAppend append, StreamHead head, IReadOnlyDictionary<Guid, StoredEvent> stored, DateTimeOffset recordedAt)
    {
        var existing = new List<StoredEvent>();
        var fresh = new List<EventToAppend>();
        foreach (var e in append.Events)
        {
            if (!stored.TryGetValue(e.EventId, out var found))
            {
                fresh.Add(e);
            }
            else if (found.StreamId != append.StreamId)
            {
                throw new EventIdConflictException(e.EventId, $"is already stored in stream '{found.StreamId}', not '{append.StreamId}'");
            }
            else if (!EventHash.SameContent(found, e))
            {
                throw new EventIdConflictException(e.EventId, $"is already stored in '{append.StreamId}' with different content");
            }
            else
            {
                existing.Add(found);
            }
        }

        if (!append.Expected.IsAny && fresh.Count > 0 && (existing.Count > 0 || head.Version != append.Expected.Value))
        {
            throw new WrongExpectedVersionException(append.StreamId, append.Expected, head.Version);
        }

        var writes = new List<PlannedWrite>(fresh.Count);
        var version = head.Version;
        var previous = head.LastHash;
        var at = EventHash.Truncate(recordedAt);
        foreach (var e in fresh)
        {
            version++;
            var hash = EventHash.Compute(append.StreamId, version, e.EventId, e.Type, e.SchemaVersion, e.Data, at, previous);
            writes.Add(new PlannedWrite(append, e, version, previous, hash, at));
            previous = hash;
        }

        return (existing, writes);
    }
}
