namespace KarabakhLedger.Ledger.Store;

/// <summary>
/// The ledger's event store: append-only streams, one per dyad, with a global order across them. Small on
/// purpose, so that each backing store (SQLite, PostgreSQL through Marten, and later EventStoreDB) is one
/// adapter that passes the same contract tests.
/// </summary>
public interface ILedgerStore : IAsyncDisposable
{
    /// <summary>A line for people: which store this is and where it lives (no password).</summary>
    string Description { get; }

    /// <summary>
    /// Appends to one or more streams in one transaction: all of it, or none of it. An event whose id is
    /// already in the same stream with the same content is reported <see cref="AppendStatus.AlreadyAppended"/>
    /// and not written again.
    /// </summary>
    /// <exception cref="WrongExpectedVersionException">a stream is not at the version the caller expected.</exception>
    /// <exception cref="EventIdConflictException">an event id is taken by another stream or by other content.</exception>
    Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="AppendAsync(IReadOnlyList{StreamAppend}, CancellationToken)"/>, after <paramref name="precondition"/>
    /// has passed inside the append's transaction and lock; whatever it throws refuses the append.
    /// </summary>
    Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition, CancellationToken cancellationToken = default);

    /// <summary>Events of one stream in version order, starting at <paramref name="fromVersion"/> (1 is the first).</summary>
    IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every committed event in global order, starting after <paramref name="afterPosition"/> (0 reads all).
    /// Positions only grow; they may skip numbers. No event is ever delivered below one already delivered.
    /// </summary>
    IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// The position of the last committed event; 0 for an empty ledger. <see cref="ReadAllAsync"/> after it returns
    /// only events committed later.
    /// </summary>
    Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends events exactly as another store recorded them — same ids, stream versions, recording times and
    /// hashes — in the order given, at positions of this store. For copying a whole ledger: each event must
    /// continue its stream's hash chain here, or nothing of the batch is written.
    /// </summary>
    /// <exception cref="InvalidDataException">an event does not continue its stream's chain.</exception>
    Task ImportAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// The copy into this store that was started and has not completed (<c>ledger copy</c>); null when there is none.
    /// A store that carries one holds only a prefix of its source.
    /// </summary>
    Task<CopyInProgress?> GetCopyInProgressAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks this store as the target of an unfinished copy; null clears the mark once the copy is complete.</summary>
    Task SetCopyInProgressAsync(CopyInProgress? copy, CancellationToken cancellationToken = default);

    /// <summary>One event by id, wherever it is stored; null when there is none.</summary>
    Task<StoredEvent?> FindEventAsync(Guid eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The Merkle log beside the events, extended by every append and import in the same transaction, and brought
    /// up to the events when the store is opened.
    /// </summary>
    ILedgerLog Log { get; }
}
