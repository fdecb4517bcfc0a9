namespace KarabakhLedger.Ledger.Store;

/// <summary>A stream was not at the version the append expected: someone else appended first.</summary>
public sealed class WrongExpectedVersionException(string streamId, ExpectedVersion expected, long actual)
    : Exception($"Stream '{streamId}' is at version {actual}, not the expected {expected}: reload it and try again.")
{
    public string StreamId { get; } = streamId;

    public ExpectedVersion Expected { get; } = expected;

    public long Actual { get; } = actual;
}

/// <summary>An event id is already used by another stream, or by the same stream with other content.</summary>
public sealed class EventIdConflictException(Guid eventId, string reason)
    : Exception($"Event {eventId} {reason}.")
{
    public Guid EventId { get; } = eventId;
}

/// <summary>The store cannot be reached or opened; the message says why in one line.</summary>
public sealed class LedgerStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
