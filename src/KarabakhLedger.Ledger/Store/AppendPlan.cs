using System.Runtime.ExceptionServices;
using System.Text;

namespace KarabakhLedger.Ledger.Store;

/// <summary>What a stream looks like to an append in progress: its version and last hash, inside the transaction.</summary>
internal sealed record StreamHead(long Version, string LastHash);

/// <summary>
/// A new event with everything the store must write for it. <paramref name="Data"/> is the canonical text of the
/// event's data (<see cref="Domain.Contracts.CanonicalJson"/>), the form its hash is over, and the form stored: the
/// same value as the submitted text, and a verifier hashes it as it is, without rewriting it.
/// </summary>
internal sealed record PlannedWrite(StreamAppend Append, EventToAppend Event, string Data, long StreamVersion, string PreviousHash, string Hash, DateTimeOffset RecordedAt);

/// <summary>
/// The store-independent rules of an append, so every adapter decides alike: validation of the request,
/// idempotency by event id, expected-version checks and the hash chain. Adapters supply what is stored,
/// inside their transaction, and write what comes out.
/// </summary>
internal static class AppendPlan
{
    /// <summary>From this many new events in one append, their canonical forms are computed ahead on every core.</summary>
    private const int ParallelCanonicalThreshold = 64;

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
        var canonical = CanonicalForms(appends, stored);
        var decided = new (IReadOnlyList<StoredEvent> Existing, IReadOnlyList<PlannedWrite> Writes)[appends.Count];
        var refusals = new ExceptionDispatchInfo?[appends.Count];
        Parallel.For(0, appends.Count, i =>
        {
            try
            {
                decided[i] = Decide(appends[i], headOf(appends[i].StreamId), stored, recordedAt, canonical?[i]);
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
    /// The canonical form of every new event's data (<see cref="EventHash.CanonicalData"/>), computed on every core
    /// before the chains: it is most of an event's hash and does not depend on the chain, so a stream holding most of
    /// a large append (a busy dyad of an import) chains at the cost of SHA-256 alone. Null for a small append, whose
    /// chains compute it inline; a stored event's slot is null too (it is compared, not hashed).
    /// </summary>
    private static byte[]?[][]? CanonicalForms(IReadOnlyList<StreamAppend> appends, IReadOnlyDictionary<Guid, StoredEvent> stored)
    {
        var fresh = new List<(int Append, int Event)>();
        for (var a = 0; a < appends.Count; a++)
        {
            for (var e = 0; e < appends[a].Events.Count; e++)
            {
                if (!stored.ContainsKey(appends[a].Events[e].EventId))
                {
                    fresh.Add((a, e));
                }
            }
        }

        if (fresh.Count < ParallelCanonicalThreshold)
        {
            return null;
        }

        var forms = appends.Select(a => new byte[]?[a.Events.Count]).ToArray();
        Parallel.ForEach(fresh, slot => forms[slot.Append][slot.Event] = TryCanonicalData(appends[slot.Append].Events[slot.Event].Data));
        return forms;
    }

    /// <summary>The canonical form, or null for data that has none: its chain then computes it inline and refuses it there, as for a small append.</summary>
    private static byte[]? TryCanonicalData(string data)
    {
        try
        {
            return EventHash.CanonicalData(data);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decides one stream's append. Events already stored (same id, same stream, same content) are reported
    /// and skipped. With an exact expected version, a retry of a whole append is idempotent, a fresh append
    /// must find the stream at that version, and a mix of stored and new events is a conflict.
    /// </summary>
    public static (IReadOnlyList<StoredEvent> Existing, IReadOnlyList<PlannedWrite> Writes) Decide(
        StreamAppend append, StreamHead head, IReadOnlyDictionary<Guid, StoredEvent> stored, DateTimeOffset recordedAt,
        byte[]?[]? canonicalData = null)
    {
        var existing = new List<StoredEvent>();
        var fresh = new List<(EventToAppend Event, byte[]? Canonical)>();
        for (var i = 0; i < append.Events.Count; i++)
        {
            var e = append.Events[i];
            if (!stored.TryGetValue(e.EventId, out var found))
            {
                fresh.Add((e, canonicalData?[i]));
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
        foreach (var (e, canonical) in fresh)
        {
            version++;
            var data = canonical ?? EventHash.CanonicalData(e.Data);
            var hash = EventHash.Compute(append.StreamId, version, e.EventId, e.Type, e.SchemaVersion, data, at, previous);
            writes.Add(new PlannedWrite(append, e, Encoding.UTF8.GetString(data), version, previous, hash, at));
            previous = hash;
        }

        return (existing, writes);
    }
}
