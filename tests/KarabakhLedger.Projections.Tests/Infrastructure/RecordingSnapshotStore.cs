using System.Collections.Concurrent;
using KarabakhLedger.Projections.Storage;

namespace KarabakhLedger.Projections.Tests.Infrastructure;

/// <summary>
/// A snapshot store that passes every call through and records each write that reached the store: which state of
/// which grain, whole or as which chunk, and how many bytes; and each append that lost to another etag. The inner
/// store stays the caller's.
/// </summary>
public sealed class RecordingSnapshotStore(ISnapshotStore inner) : IWrappingSnapshotStore
{
    private readonly ConcurrentQueue<RecordedWrite> _writes = new();
    private readonly ConcurrentQueue<RecordedWrite> _conflicts = new();

    public ISnapshotStore Inner => inner;

    public IReadOnlyList<RecordedWrite> Writes => [.. _writes];

    public IReadOnlyList<RecordedWrite> Conflicts => [.. _conflicts];

    public string Description => inner.Description;

    public Task<StoredSnapshot?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(stateName, grainId, cancellationToken);

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var etag = await inner.WriteAsync(stateName, grainId, data, expectedETag, cancellationToken);
        _writes.Enqueue(new RecordedWrite(stateName, grainId, null, data.ToArray()));
        return etag;
    }

    public async Task<string> AppendAsync(
        string stateName, string grainId, ReadOnlyMemory<byte> head, int chunk, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default)
    {
        try
        {
            var etag = await inner.AppendAsync(stateName, grainId, head, chunk, data, expectedETag, cancellationToken);
            _writes.Enqueue(new RecordedWrite(stateName, grainId, chunk, data.ToArray(), head.Length));
            return etag;
        }
        catch (SnapshotConflictException)
        {
            _conflicts.Enqueue(new RecordedWrite(stateName, grainId, chunk, data.ToArray(), head.Length));
            throw;
        }
    }

    public Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken = default) =>
        inner.ClearAsync(stateName, grainId, expectedETag, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One write that reached the store: a whole blob (<see cref="Chunk"/> null) or a chunk with a head of <see cref="HeadBytes"/>.</summary>
public sealed record RecordedWrite(string StateName, string GrainId, int? Chunk, byte[] Data, int HeadBytes = 0);
