namespace KarabakhLedger.Ledger.Store;

/// <summary>
/// What the caller expects a stream's version to be before its append: <see cref="Any"/>, <see cref="NoStream"/>
/// (version 0), or an exact version (the number of events the stream holds).
/// </summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long value) => Value = value;

    public static ExpectedVersion Any { get; } = new(-1);

    public static ExpectedVersion NoStream { get; } = new(0);

    public long Value { get; }

    public bool IsAny => Value < 0;

    public static ExpectedVersion Exactly(long version) =>
        version >= 0 ? new ExpectedVersion(version) : throw new ArgumentOutOfRangeException(nameof(version), version, "A stream version is 0 or more.");

    public override string ToString() => IsAny ? "any" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An event to append: its id (the idempotency key), stable type name, schema version and JSON.</summary>
public sealed record EventToAppend(Guid EventId, string Type, int SchemaVersion, string Data);

/// <summary>Events for one stream, appended only if the stream is at <see cref="Expected"/>.</summary>
public sealed record StreamAppend(string StreamId, ExpectedVersion Expected, IReadOnlyList<EventToAppend> Events);

public enum AppendStatus
{
    Appended,
    AlreadyAppended,
}

/// <summary>Where an appended (or already present) event stands.</summary>
public sealed record AppendedEvent(Guid EventId, string StreamId, long StreamVersion, long Position, AppendStatus Status, string Hash);

/// <summary>
/// A stored event. <see cref="Hash"/> is the SHA-256 of its canonical encoding including
/// <see cref="PreviousHash"/>, the hash of the event before it in the same stream.
/// </summary>
public sealed record StoredEvent(
    long Position,
    string StreamId,
    long StreamVersion,
    Guid EventId,
    string Type,
    int SchemaVersion,
    string Data,
    DateTimeOffset RecordedAt,
    string PreviousHash,
    string Hash);

/// <summary>The ledger as an append in progress sees it: inside its transaction, under its lock.</summary>
public interface IAppendSnapshot
{
    /// <summary>One stream's events in version order, as committed before this append.</summary>
    IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default);
}

/// <summary>
/// A rule an append must satisfy, checked inside the append's transaction and under its lock, before anything is
/// written: no concurrent append can change what it reads until this one has committed or rolled back. It refuses
/// the append by throwing; nothing is then written.
/// </summary>
public delegate Task AppendPrecondition(IAppendSnapshot ledger, CancellationToken cancellationToken);

/// <summary>A copy into a store that has begun and not yet completed: where from (<see cref="ILedgerStore.Description"/>, no password) and when it began.</summary>
public sealed record CopyInProgress(string Source, DateTimeOffset StartedAt);
