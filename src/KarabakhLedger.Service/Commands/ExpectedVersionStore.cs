using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Service.Commands;

/// <summary>
/// The ledger store seen by one guarded command: its append must touch exactly one stream, and that stream must be at
/// <paramref name="expected"/>. Lets <see cref="Ledger.Recording.LedgerRecorder"/>, which appends with any version,
/// serve a command that names one. Reads pass through; it does not own the store.
/// </summary>
internal sealed class ExpectedVersionStore(ILedgerStore inner, ExpectedVersion expected) : ILedgerStore
{
    public string Description => inner.Description;

    public Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default) =>
        appends.Count == 1
            ? inner.AppendAsync([appends[0] with { Expected = expected }], cancellationToken)
            : throw new InvalidOperationException($"An expected version guards one stream; this append touches {appends.Count}.");

    public IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(streamId, fromVersion, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(afterPosition, cancellationToken);

    public Task<StoredEvent?> FindEventAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        inner.FindEventAsync(eventId, cancellationToken);

    public Task ImportAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A guarded command appends; it never imports.");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
