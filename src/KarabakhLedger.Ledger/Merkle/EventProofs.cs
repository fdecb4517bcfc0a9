using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Merkle;

/// <summary>
/// An event's inclusion proof: the event as stored, its leaf index and leaf hash (recomputed from the event, never read
/// from the log), and the audit path from that leaf to the root of the log's first <see cref="TreeSize"/> leaves.
/// </summary>
public sealed record EventInclusion(StoredEvent Event, long LeafIndex, long TreeSize, byte[] LeafHash, IReadOnlyList<byte[]> Path, byte[] Root)
{
    /// <summary>Whether the stored event still hashes to its stored chain hash.</summary>
    public bool EventHashHolds => EventHash.Compute(Event) == Event.Hash;

    /// <summary>Whether the path leads from the leaf to <paramref name="root"/> (RFC 9162 §2.1.3.2).</summary>
    public bool VerifiesAgainst(ReadOnlySpan<byte> root) => MerkleProofs.VerifyInclusion(LeafIndex, TreeSize, LeafHash, Path, root);
}

/// <summary>Why an inclusion proof cannot be given.</summary>
public enum ProofFailure
{
    /// <summary>The ledger has no such event.</summary>
    NotFound,

    /// <summary>The tree size asked for is not within the log.</summary>
    OutOfRange,

    /// <summary>The event was recorded after the tree size's last leaf: that tree cannot prove it.</summary>
    RecordedLater,

    /// <summary>The event or its leaf was altered outside the ledger.</summary>
    Damaged,
}

/// <summary>An inclusion proof that cannot be given, and why (<see cref="Failure"/>).</summary>
public sealed class ProofUnavailableException(ProofFailure failure, string message) : Exception(message)
{
    public ProofFailure Failure { get; } = failure;
}

/// <summary>Inclusion proofs of stored events: the one rule the CLI (<c>ledger prove</c>, bundles) and the service share.</summary>
public static class EventProofs
{
    /// <summary>
    /// The inclusion proof of event <paramref name="eventId"/> in the log's first <paramref name="treeSize"/> leaves
    /// (default: the whole log as it is now).
    /// </summary>
    /// <exception cref="ProofUnavailableException">no such event, no leaf for it, a tree size outside the log, or the event is not within it.</exception>
    /// <exception cref="InvalidDataException">the log lacks a stored subtree the proof needs.</exception>
    public static async Task<EventInclusion> ProveAsync(ILedgerStore store, Guid eventId, long? treeSize = null, CancellationToken cancellationToken = default)
    {
        var logSize = await store.Log.GetSizeAsync(cancellationToken);
        var size = treeSize ?? logSize;
        if (size < 1 || size > logSize)
        {
            throw new ProofUnavailableException(ProofFailure.OutOfRange, $"the tree size must be from 1 to the log's size {logSize}, not {size}");
        }

        var stored = await store.FindEventAsync(eventId, cancellationToken)
            ?? throw new ProofUnavailableException(ProofFailure.NotFound, $"No event {eventId:D} is in the ledger.");
        var leaf = await store.Log.FindLeafAsync(stored.Position, cancellationToken)
            ?? throw new ProofUnavailableException(ProofFailure.Damaged, $"Event {eventId:D} has no leaf in the Merkle log: the log was altered outside the ledger. Run 'ledger verify'.");
        if (leaf.Index >= size)
        {
            throw new ProofUnavailableException(ProofFailure.RecordedLater, $"event {eventId:D} is leaf {leaf.Index}, recorded after the first {size} leaves; use a later checkpoint");
        }

        var path = await MerkleLog.InclusionProofAsync(store.Log, leaf.Index, size, cancellationToken);
        var root = await MerkleLog.RootAsync(store.Log, size, cancellationToken);
        return new EventInclusion(stored, leaf.Index, size, LeafHashOf(stored), path, root);
    }

    private static byte[] LeafHashOf(StoredEvent stored)
    {
        try
        {
            return LedgerLeaf.Of(stored).Hash();
        }
        catch (FormatException e)
        {
            throw new ProofUnavailableException(ProofFailure.Damaged, $"Event {stored.EventId:D} is stored malformed ({e.Message}): it was altered outside the ledger. Run 'ledger verify'.");
        }
    }
}
