using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Verification;

/// <summary>
/// The first link of a stream's hash chain that does not hold, and why. A malformed row is a broken link too; its
/// stream, version and event id are there when they could be read.
/// </summary>
public sealed record BrokenLink(long Position, string? StreamId, long? StreamVersion, Guid? EventId, string Problem);

/// <summary>What changed in the ledger since a checkpoint was signed, at the first leaf that differs.</summary>
public enum ChangeKind
{
    /// <summary>The event signed at this leaf is still stored, with other content, time, version or chain.</summary>
    Altered,

    /// <summary>The event signed at this leaf is gone (deleted, truncated, its stream deleted, or its row hidden).</summary>
    Missing,

    /// <summary>An event signed at another leaf now stands here: positions were swapped or moved.</summary>
    Reordered,

    /// <summary>An event that no checkpointed leaf names now stands among the signed ones.</summary>
    Inserted,

    /// <summary>The row of the event signed at this leaf no longer reads as an event.</summary>
    Malformed,

    /// <summary>
    /// The events differ from the signed ones, and the stored Merkle log was rewritten to match them, so a single
    /// checkpoint cannot say where: only its root survives outside the database.
    /// </summary>
    Unlocated,
}

/// <summary>
/// The first difference between the ledger's events and a checkpoint: the leaf index, the store position and stream
/// where it shows, the event concerned, and what kind of change it is.
/// </summary>
public sealed record LedgerChange(ChangeKind Kind, long? LeafIndex, long? Position, string? StreamId, long? StreamVersion, Guid? EventId, string Detail);

/// <summary>What a check of the ledger against one signed checkpoint found.</summary>
/// <param name="EventsCompared">events recomputed from the stored rows, compared leaf by leaf with the log.</param>
/// <param name="FirstChange">the first difference between the recomputed leaves and the signed ones.</param>
/// <param name="LogProblem">the first way the stored Merkle log is not consistent with the checkpoint or the events.</param>
public sealed record CheckpointCheck(
    long Size, string Root, DateTimeOffset Time, string KeyId, string? SignatureProblem, long EventsCompared, LedgerChange? FirstChange, string? LogProblem)
{
    public bool SignatureValid => SignatureProblem is null;

    public bool Holds => SignatureValid && FirstChange is null && LogProblem is null;
}

/// <summary>
/// What <c>verify</c> checked: events and streams, the first broken link of a hash chain, and, when a checkpoint was
/// given, the check against it; <see cref="UnfinishedCopy"/> when the store holds only the first part of a copy. <see cref="Detects"/> and <see cref="CannotDetect"/> say in words what such a check
/// can and cannot find.
/// </summary>
public sealed record VerificationReport(
    long EventsChecked, int StreamsChecked, BrokenLink? FirstBroken, CheckpointCheck? Checkpoint = null, CopyInProgress? UnfinishedCopy = null)
{
    /// <summary>Every check held, and the store is not the target of a <c>ledger copy</c> that never finished.</summary>
    public bool Intact => FirstBroken is null && (Checkpoint?.Holds ?? true) && UnfinishedCopy is null;

    public IReadOnlyList<string> Detects => Checkpoint is null
        ?
        [
            "an event whose content, type, recording time or version was edited without re-hashing it",
            "an event deleted from the middle of its stream",
            "a stored row that does not read as an event (not JSON, a bad time, a bad id)",
        ]
        :
        [
            $"any change to the first {Checkpoint.Size} events since the checkpoint was signed: altered, deleted, hidden, reordered or inserted, even when the chains were re-hashed with the ledger's own code and the stored Merkle log rewritten to match",
            "a stored Merkle log that is not consistent with the checkpoint or with the events",
            "a stored row that does not read as an event (not JSON, a bad time, a bad id)",
        ];

    public IReadOnlyList<string> CannotDetect => Checkpoint is null
        ?
        [
            "the last events of a stream deleted, a whole stream deleted, or the last positions truncated",
            "events of different streams swapped in the global order",
            "a stream re-chained with the ledger's own hashing after an event was rewritten, inserted, deleted or back-dated",
            "a row hidden from the ledger's readers (PostgreSQL: is_archived, or another type)",
            "run 'ledger verify --checkpoint FILE' with a checkpoint kept outside the database to detect these",
        ]
        :
        [
            $"changes to events after the first {Checkpoint.Size}, beyond what their hash chains show: check against a later checkpoint",
        ];
}
