using System.Diagnostics;
using System.Runtime.CompilerServices;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;

namespace KarabakhLedger.Benchmarks.Replay;

/// <summary>
/// A call counter with the time spent in the calls. Times are summed over calls that may run concurrently (dyad
/// grains run in parallel), so a sum can exceed the wall time of a phase.
/// </summary>
internal sealed class CallCounter
{
    private long _calls;
    private long _items;
    private long _bytes;
    private long _ticks;

    public long Calls => Interlocked.Read(ref _calls);

    public long Items => Interlocked.Read(ref _items);

    public long Bytes => Interlocked.Read(ref _bytes);

    public TimeSpan Time => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    public void Add(long calls, long items, long bytes, long ticks)
    {
        Interlocked.Add(ref _calls, calls);
        Interlocked.Add(ref _items, items);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _ticks, ticks);
    }

    public CallCounts Snapshot() => new(Calls, Items, Bytes, Time);
}

internal readonly record struct CallCounts(long Calls, long Items, long Bytes, TimeSpan Time)
{
    public static CallCounts operator -(CallCounts a, CallCounts b) => new(a.Calls - b.Calls, a.Items - b.Items, a.Bytes - b.Bytes, a.Time - b.Time);
}

/// <summary>
/// The store port as the projections see it, passing every call through and counting the reads: how often the feed
/// reads the global order (and how many events), how often dyads read their own streams. Adds a timestamp per event
/// read, nothing else.
/// </summary>
internal sealed class CountingLedgerStore(ILedgerStore inner) : ILedgerStore
{
    public CallCounter ReadAll { get; } = new();

    public CallCounter ReadStream { get; } = new();

    public CallCounter Find { get; } = new();

    public string Description => inner.Description;

    public Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(appends, cancellationToken);

    public Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(appends, precondition, cancellationToken);

    public ILedgerLog Log => inner.Log;

    public IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default) =>
        CountAsync(inner.ReadStreamAsync(streamId, fromVersion, cancellationToken), ReadStream, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default) =>
        CountAsync(inner.ReadAllAsync(afterPosition, cancellationToken), ReadAll, cancellationToken);

    public Task ImportAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default) =>
        inner.ImportAsync(events, cancellationToken);

    public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    public Task<CopyInProgress?> GetCopyInProgressAsync(CancellationToken cancellationToken = default) => inner.GetCopyInProgressAsync(cancellationToken);

    public Task SetCopyInProgressAsync(CopyInProgress? copy, CancellationToken cancellationToken = default) => inner.SetCopyInProgressAsync(copy, cancellationToken);

    public async Task<StoredEvent?> FindEventAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var found = await inner.FindEventAsync(eventId, cancellationToken);
        Find.Add(1, found is null ? 0 : 1, 0, Stopwatch.GetTimestamp() - started);
        return found;
    }

    /// <summary>The inner store stays the caller's: the benchmark disposes it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async IAsyncEnumerable<StoredEvent> CountAsync(
        IAsyncEnumerable<StoredEvent> source, CallCounter counter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long items = 0;
        long ticks = 0;
        var enumerator = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                var more = await enumerator.MoveNextAsync();
                ticks += Stopwatch.GetTimestamp() - started;
                if (!more)
                {
                    break;
                }

                items++;
                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
            counter.Add(1, items, 0, ticks);
        }
    }
}

/// <summary>
/// The snapshot store port, passing every call through and counting reads and writes per state name. With
/// <paramref name="gateWrites"/> (an experiment, not what production does) it lets one write at a time reach the
/// store and queues the others asynchronously, as a fix inside <c>SqliteSnapshotStore</c> could: concurrent writers
/// to one SQLite file otherwise collide on its write lock, and Microsoft.Data.Sqlite retries a busy statement after a
/// blocking <c>Thread.Sleep(150)</c> on a thread-pool thread.
/// </summary>
internal sealed class CountingSnapshotStore(ISnapshotStore inner, bool gateWrites = false) : IWrappingSnapshotStore
{
    public ISnapshotStore Inner => inner;

    private readonly Dictionary<string, CallCounter> _writes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _slowestTicks;

    /// <summary>The longest single write (including any wait at the gate).</summary>
    public TimeSpan SlowestWrite => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _slowestTicks));

    public void ResetSlowest() => Interlocked.Exchange(ref _slowestTicks, 0);

    public CallCounter Reads { get; } = new();

    public string Description => inner.Description;

    public IReadOnlyDictionary<string, CallCounts> Writes()
    {
        lock (_lock)
        {
            return _writes.ToDictionary(w => w.Key, w => w.Value.Snapshot(), StringComparer.Ordinal);
        }
    }

    public async Task<StoredSnapshot?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var stored = await inner.ReadAsync(stateName, grainId, cancellationToken);
        Reads.Add(1, stored is null ? 0 : 1, (stored?.Data.Length ?? 0) + (stored?.Chunks.Sum(c => (long)c.Length) ?? 0), Stopwatch.GetTimestamp() - started);
        return stored;
    }

    public Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default) =>
        CountAsync(stateName, data.Length, () => inner.WriteAsync(stateName, grainId, data, expectedETag, cancellationToken), cancellationToken);

    /// <summary>Counted as one write of the state, of the head's and the chunk's bytes together.</summary>
    public Task<string> AppendAsync(
        string stateName, string grainId, ReadOnlyMemory<byte> head, int chunk, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default) =>
        CountAsync(stateName, head.Length + data.Length, () => inner.AppendAsync(stateName, grainId, head, chunk, data, expectedETag, cancellationToken), cancellationToken);

    private async Task<string> CountAsync(string stateName, long bytes, Func<Task<string>> write, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (gateWrites)
        {
            await _gate.WaitAsync(cancellationToken);
        }

        try
        {
            return await write();
        }
        finally
        {
            if (gateWrites)
            {
                _gate.Release();
            }

            var ticks = Stopwatch.GetTimestamp() - started;
            Counter(stateName).Add(1, 1, bytes, ticks);
            long seen;
            while (ticks > (seen = Interlocked.Read(ref _slowestTicks)) && Interlocked.CompareExchange(ref _slowestTicks, ticks, seen) != seen)
            {
            }
        }
    }

    public Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken = default) =>
        inner.ClearAsync(stateName, grainId, expectedETag, cancellationToken);

    /// <summary>The inner store stays the caller's: the benchmark disposes it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private CallCounter Counter(string stateName)
    {
        lock (_lock)
        {
            if (!_writes.TryGetValue(stateName, out var counter))
            {
                _writes[stateName] = counter = new CallCounter();
            }

            return counter;
        }
    }
}
