namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Where projection grains keep their state (feed checkpoints, dyad snapshots, the generation registry): one
/// opaque blob per (state name, grain id), guarded by an etag for optimistic concurrency. Everything in it can be
/// rebuilt from the ledger, so losing it costs time, never correctness.
/// </summary>
public interface ISnapshotStore : IAsyncDisposable
{
    /// <summary>A line for people: which store this is and where it lives (no password).</summary>
    string Description { get; }

    /// <summary>The blob and its etag; null when nothing is stored.</summary>
    Task<StoredSnapshot?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="data"/> if the stored etag is <paramref name="expectedETag"/> (null: nothing stored yet).
    /// </summary>
    /// <returns>The new etag.</returns>
    /// <exception cref="SnapshotConflictException">someone else wrote or cleared it first.</exception>
    Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob if the stored etag is <paramref name="expectedETag"/>; nothing stored and null expected is fine.</summary>
    /// <exception cref="SnapshotConflictException">the stored etag is another one.</exception>
    Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken = default);
}

/// <summary>A stored blob, its etag, and when it was written (from the store's injected clock).</summary>
public sealed record StoredSnapshot(byte[] Data, string ETag, DateTimeOffset WrittenAt);

/// <summary>A write or clear found another etag than the caller expected: another activation wrote in between.</summary>
public sealed class SnapshotConflictException(string stateName, string grainId, string? expected, string? actual)
    : Exception($"State '{stateName}' of {grainId} is at etag {actual ?? "(none)"}, not the expected {expected ?? "(none)"}.")
{
    public string? Expected { get; } = expected;

    public string? Actual { get; } = actual;
}
