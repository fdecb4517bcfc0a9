namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Where projection grains keep their state (feed checkpoints, dyad snapshots, the generation registry): one
/// opaque blob per (state name, grain id), guarded by an etag for optimistic concurrency, and optionally a row of
/// numbered chunks after it that grow by appending (a dyad's snapshot, docs/adr/0028-tail-growing-dyad-snapshots.md).
/// Everything in it can be rebuilt from the ledger, so losing it costs time, never correctness.
/// </summary>
public interface ISnapshotStore : IAsyncDisposable
{
    /// <summary>A line for people: which store this is and where it lives (no password).</summary>
    string Description { get; }

    /// <summary>The blob, its chunks and its etag, all as of one moment; null when nothing is stored.</summary>
    Task<StoredSnapshot?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="data"/> as the whole state (dropping any chunks) if the stored etag is
    /// <paramref name="expectedETag"/> (null: nothing stored yet).
    /// </summary>
    /// <returns>The new etag.</returns>
    /// <exception cref="SnapshotConflictException">someone else wrote or cleared it first.</exception>
    Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one atomic step, if the stored etag is <paramref name="expectedETag"/> (null: nothing stored yet): replaces
    /// the blob with <paramref name="head"/> and stores <paramref name="data"/> as chunk number <paramref name="chunk"/>,
    /// dropping any chunk numbered <paramref name="chunk"/> or above. Chunks before it are left as they are, so a
    /// write costs the new chunk and the head, not the whole state; chunk 0 starts the chunks afresh.
    /// </summary>
    /// <returns>The new etag.</returns>
    /// <exception cref="SnapshotConflictException">someone else wrote or cleared it first.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunk"/> is negative or beyond the chunks stored (it would leave a hole); nothing is written.</exception>
    Task<string> AppendAsync(
        string stateName, string grainId, ReadOnlyMemory<byte> head, int chunk, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob and its chunks if the stored etag is <paramref name="expectedETag"/>; nothing stored and null expected is fine.</summary>
    /// <exception cref="SnapshotConflictException">the stored etag is another one.</exception>
    Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken = default);
}

/// <summary>
/// A snapshot store that passes every call on to <see cref="Inner"/> (a counter or recorder in benchmarks and tests):
/// what is kept beside a projection store, such as the <see cref="ChangeLog"/>, is kept beside the one it wraps.
/// </summary>
public interface IWrappingSnapshotStore : ISnapshotStore
{
    ISnapshotStore Inner { get; }
}

/// <summary>
/// A stored blob, its chunks in number order (0, 1, …, without a hole; empty unless written by
/// <see cref="ISnapshotStore.AppendAsync"/>), its etag, and when it was last written (from the store's injected clock).
/// </summary>
public sealed record StoredSnapshot(byte[] Data, IReadOnlyList<byte[]> Chunks, string ETag, DateTimeOffset WrittenAt);

/// <summary>A write or clear found another etag than the caller expected: another activation wrote in between.</summary>
public sealed class SnapshotConflictException(string stateName, string grainId, string? expected, string? actual)
    : Exception($"State '{stateName}' of {grainId} is at etag {actual ?? "(none)"}, not the expected {expected ?? "(none)"}.")
{
    public string? Expected { get; } = expected;

    public string? Actual { get; } = actual;
}
