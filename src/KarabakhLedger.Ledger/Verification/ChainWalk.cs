using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Verification;

/// <summary>
/// One pass over the stored rows in position order. It checks each stream's chain as stored, notes the first broken
/// link, and recomputes each readable event's hash from its content and the hash recomputed for its predecessor, so
/// the leaf it yields depends on the events alone, never on a hash the database holds.
/// </summary>
internal sealed class ChainWalk
{
    private readonly Dictionary<string, Head> _heads = new(StringComparer.Ordinal);

    private readonly Dictionary<long, string> _unreadable = [];

    public long EventsChecked { get; private set; }

    public int StreamsChecked => _heads.Count;

    public BrokenLink? FirstBroken { get; private set; }

    /// <summary>Why the row at a position gave no event (malformed, or hidden from the ledger's readers).</summary>
    public IReadOnlyDictionary<long, string> Unreadable => _unreadable;

    /// <summary>Positions of malformed rows (a subset of <see cref="Unreadable"/>).</summary>
    public HashSet<long> Malformed { get; } = [];

    /// <summary>
    /// The recomputed leaf of the row's event; null for a row the ledger's readers skip or cannot read.
    /// <paramref name="computedHash"/> is the event's hash recomputed from its content and its stored predecessor hash.
    /// </summary>
    public LedgerLeaf? Add(AuditRow row, RecomputedHash computedHash)
    {
        if (row.Hidden is { } hidden)
        {
            _unreadable[row.Position] = $"its row is still stored but hidden: {hidden}";
            return null;
        }

        if (row.Event is not { } e)
        {
            var problem = $"the stored row is malformed: {row.Malformed ?? "it does not read as an event"}";
            _unreadable[row.Position] = problem;
            Malformed.Add(row.Position);
            FirstBroken ??= new BrokenLink(row.Position, row.StreamId, row.StreamVersion, null, problem);
            return null;
        }

        var head = _heads.GetValueOrDefault(e.StreamId, new Head(0, EventHash.Genesis, EventHash.Genesis));
        if (computedHash.Failure is { } x)
        {
            if (x is FormatException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
            {
                return Add(row with { Event = null, Malformed = $"its data cannot be put in canonical form ({x.Message})" }, default);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(x);
        }

        var computed = computedHash.EventHash ?? throw new ArgumentException("An event's row comes with its recomputed hash.", nameof(computedHash));
        EventsChecked++;
        var problemWithChain =
            e.StreamVersion != head.Version + 1 ? $"version {e.StreamVersion} follows version {head.Version}"
            : e.PreviousHash != head.StoredHash ? $"previous hash {Short(e.PreviousHash)} is not the hash {Short(head.StoredHash)} of version {head.Version}"
            : computed != e.Hash ? $"stored hash {Short(e.Hash)} does not match its content (hashes to {Short(computed)}): the event was altered"
            : null;
        if (problemWithChain is not null)
        {
            FirstBroken ??= new BrokenLink(e.Position, e.StreamId, e.StreamVersion, e.EventId, problemWithChain);
        }

        var recomputed = e.PreviousHash == head.RecomputedHash
            ? computed
            : EventHash.Compute(e.StreamId, e.StreamVersion, e.EventId, e.Type, e.SchemaVersion, e.Data, e.RecordedAt, head.RecomputedHash);
        _heads[e.StreamId] = new Head(e.StreamVersion, e.Hash, recomputed);
        return new LedgerLeaf(e.StreamId, e.StreamVersion, e.EventId, recomputed);
    }

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private sealed record Head(long Version, string StoredHash, string RecomputedHash);
}
