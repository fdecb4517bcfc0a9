using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Verification;

/// <summary>
/// Checks a ledger against a signed checkpoint (docs/checkpoints.md, docs/adr/0012-merkle-log-and-checkpoints.md).
/// The leaves are recomputed from the stored rows themselves (each event's hash from its content and its
/// predecessor's recomputed hash), the tree of the first <see cref="Checkpoint.Size"/> of them is compared with the
/// signed root, and the stored Merkle log is used only to say where and how the events differ, and only once its own
/// first leaves have been shown to hash to the signed root.
/// </summary>
public static class CheckpointVerifier
{
    public static async Task<VerificationReport> VerifyAsync(
        ILedgerStore store, Checkpoint checkpoint, LedgerVerifyingKey key, CancellationToken cancellationToken = default)
    {
        var n = checkpoint.Size;
        var walk = new ChainWalk();
        var recomputed = new MerkleFrontier();
        var signedPrefix = new MerkleFrontier();
        byte[]? recomputedPrefix = n == 0 ? MerkleHash.EmptyRoot : null;
        var recomputedIds = new HashSet<Guid>();
        var storedIds = new HashSet<Guid>();
        string? logProblem = null;
        var prefixNamesItsEvents = true;
        Mismatch? mismatch = null;

        await using var stored = CheckedLeavesAsync(store.Log, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var storedLeft = await stored.MoveNextAsync();

        async Task<StoredLeaf?> NextStored(long index)
        {
            if (!storedLeft)
            {
                return null;
            }

            var (leaf, hashesToItself) = stored.Current;
            if (leaf.Index != index)
            {
                logProblem ??= $"the stored Merkle log has no leaf {index} (its next stored leaf is {leaf.Index})";
                return null;
            }

            storedLeft = await stored.MoveNextAsync();
            storedIds.Add(leaf.EventId);
            if (!hashesToItself)
            {
                logProblem ??= $"stored leaf {index} does not hash to the leaf hash stored beside it";
                prefixNamesItsEvents &= index >= n;
            }

            if (index < n)
            {
                if (leaf.LeafHash.Length == MerkleHash.Size)
                {
                    signedPrefix.Append(leaf.LeafHash);
                }
                else
                {
                    logProblem ??= $"stored leaf {index} has a hash of {leaf.LeafHash.Length} bytes";
                }
            }

            return leaf;
        }

        await foreach (var chunk in HashedRows.ReadAsync(store.Log.ReadRowsForAuditAsync(cancellationToken), withLeaves: true, cancellationToken))
        {
            for (var i = 0; i < chunk.Rows.Count; i++)
            {
                var row = chunk.Rows[i];
                var computed = chunk.Hashes[i];
                if (walk.Add(row, computed) is not { } leaf)
                {
                    continue;
                }

                var index = recomputed.Size;
                var hash = computed.LeafHash is { } leafHash && leaf.EventHash == computed.EventHash ? leafHash : leaf.Hash();
                recomputed.Append(hash);
                recomputedIds.Add(leaf.EventId);
                if (recomputed.Size == n)
                {
                    recomputedPrefix = recomputed.Root();
                }

                var storedLeaf = await NextStored(index);
                if (index < n && mismatch is null && (storedLeaf is null || !storedLeaf.LeafHash.AsSpan().SequenceEqual(hash)))
                {
                    mismatch = new Mismatch(index, row.Position, leaf, storedLeaf);
                }
            }
        }

        var total = recomputed.Size;
        for (var index = total; storedLeft; index++)
        {
            if (await NextStored(index) is not { } storedLeaf)
            {
                break;
            }

            if (index < n && mismatch is null)
            {
                mismatch = new Mismatch(index, null, null, storedLeaf);
            }
        }

        var storedCount = signedPrefix.Size;
        var signedRoot = checkpoint.RootBytes;
        var logAuthentic = storedCount == n && signedPrefix.Root().AsSpan().SequenceEqual(signedRoot);
        var eventsHold = recomputedPrefix is not null && recomputedPrefix.AsSpan().SequenceEqual(signedRoot);
        LedgerChange? change = null;
        if (!eventsHold)
        {
            change = logAuthentic && prefixNamesItsEvents && mismatch is { Signed: not null }
                ? Classify(mismatch, recomputedIds, storedIds, walk)
                : Unlocated(n, total);
        }

        if (!logAuthentic)
        {
            logProblem ??= $"the stored Merkle log's first {n} leaves do not hash to the checkpoint's root: the log was rewritten or cut";
        }

        logProblem ??= await CheckStoredLogAsync(store.Log, checkpoint, recomputed, cancellationToken);
        var signatureProblem = SignatureProblem(checkpoint, key);
        return new VerificationReport(
            walk.EventsChecked,
            walk.StreamsChecked,
            walk.FirstBroken,
            new CheckpointCheck(n, checkpoint.Root, checkpoint.Time, checkpoint.KeyId, signatureProblem, total, change, logProblem),
            await store.GetCopyInProgressAsync(cancellationToken));
    }

    /// <summary>
    /// <c>verify --from OLD --to NEW</c>: both checkpoints signed by <paramref name="key"/>, OLD no larger than NEW, and
    /// a consistency proof from the ledger's stored log that NEW's tree extends OLD's.
    /// </summary>
    public static async Task<GrowthReport> VerifyGrowthAsync(
        ILedgerStore store, Checkpoint from, Checkpoint to, LedgerVerifyingKey key, CancellationToken cancellationToken = default)
    {
        var fromProblem = SignatureProblem(from, key);
        var toProblem = SignatureProblem(to, key);
        string? problem = null;
        IReadOnlyList<byte[]> proof = [];
        if (from.Size > to.Size)
        {
            problem = $"the first checkpoint ({from.Size} events) is larger than the second ({to.Size}): a log that only grows cannot shrink";
        }
        else if (from.Size == to.Size)
        {
            problem = from.Root == to.Root ? null : $"both checkpoints are of {to.Size} events but their roots differ: the log was rewritten between them";
        }
        else
        {
            var size = await store.Log.GetSizeAsync(cancellationToken);
            if (size < to.Size)
            {
                problem = $"the ledger's log holds {size} leaves, fewer than the second checkpoint's {to.Size}: it cannot prove the growth (it was cut)";
            }
            else
            {
                try
                {
                    proof = await MerkleLog.ConsistencyProofAsync(store.Log, from.Size, to.Size, cancellationToken);
                    if (!MerkleProofs.VerifyConsistency(from.Size, to.Size, from.RootBytes, to.RootBytes, proof))
                    {
                        problem = $"the consistency proof from {from.Size} to {to.Size} events does not hold: the second checkpoint's log does not extend the first's, or the ledger's stored log was altered";
                    }
                }
                catch (InvalidDataException e)
                {
                    problem = e.Message;
                }
            }
        }

        return new GrowthReport(from.Size, from.Root, to.Size, to.Root, fromProblem, toProblem, proof.Count, problem);
    }

    private static string? SignatureProblem(Checkpoint checkpoint, LedgerVerifyingKey key) =>
        key.KeyId != checkpoint.KeyId ? $"the checkpoint names key {checkpoint.KeyId}, not the given key {key.KeyId}"
        : !checkpoint.IsSignedBy(key) ? $"the signature does not verify with key {key.KeyId}: the checkpoint was altered or forged"
        : null;

    /// <summary>The stored leaves in order, read ahead, each one's own hash checked on every core.</summary>
    private static async IAsyncEnumerable<(StoredLeaf Leaf, bool HashesToItself)> CheckedLeavesAsync(
        ILedgerLog log, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in ReadAhead.ChunksAsync(log.ReadLeavesAsync(0, cancellationToken), HashedRows.ChunkSize, CheckLeaves, cancellationToken))
        {
            foreach (var checkedLeaf in chunk)
            {
                yield return checkedLeaf;
            }
        }
    }

    private static (StoredLeaf Leaf, bool HashesToItself)[] CheckLeaves(List<StoredLeaf> leaves, CancellationToken cancellationToken)
    {
        var checkedLeaves = new (StoredLeaf, bool)[leaves.Count];
        Parallel.For(0, leaves.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => checkedLeaves[i] = (leaves[i], HashesToItself(leaves[i])));
        return checkedLeaves;
    }

    private static bool HashesToItself(StoredLeaf leaf)
    {
        try
        {
            return leaf.Leaf.Hash().AsSpan().SequenceEqual(leaf.LeafHash);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The stored log now: its subtrees give the checkpoint's root again, a consistency proof to its head holds, and the head is the events' tree.</summary>
    private static async Task<string?> CheckStoredLogAsync(ILedgerLog log, Checkpoint checkpoint, MerkleFrontier recomputed, CancellationToken cancellationToken)
    {
        try
        {
            var head = await MerkleLog.HeadAsync(log, cancellationToken);
            if (head.Size < checkpoint.Size)
            {
                return $"the stored Merkle log holds {head.Size} leaves, fewer than the checkpoint's {checkpoint.Size}";
            }

            if (!(await MerkleLog.RootAsync(log, checkpoint.Size, cancellationToken)).AsSpan().SequenceEqual(checkpoint.RootBytes))
            {
                return $"the stored Merkle log's subtrees do not give the checkpoint's root at {checkpoint.Size} leaves";
            }

            var proof = await MerkleLog.ConsistencyProofAsync(log, checkpoint.Size, head.Size, cancellationToken);
            if (!MerkleProofs.VerifyConsistency(checkpoint.Size, head.Size, checkpoint.RootBytes, head.Root, proof))
            {
                return $"the stored Merkle log's consistency proof from {checkpoint.Size} to {head.Size} leaves does not hold";
            }

            return head.Size != recomputed.Size || !head.Root.AsSpan().SequenceEqual(recomputed.Root())
                ? $"the stored Merkle log ({head.Size} leaves) is not the tree of the {recomputed.Size} events stored"
                : null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }

    private static LedgerChange Unlocated(long n, long total) =>
        total < n
            ? new LedgerChange(ChangeKind.Missing, null, null, null, null, null,
                $"the checkpoint signed {n} events and only {total} readable events are stored; the stored Merkle log was rewritten or cut too, so which are gone cannot be told from this checkpoint")
            : new LedgerChange(ChangeKind.Unlocated, null, null, null, null, null,
                $"the first {n} events stored do not hash to the checkpoint's root, and the stored Merkle log was rewritten to match them, so where they differ cannot be told from this checkpoint alone");

    private static LedgerChange Classify(Mismatch m, HashSet<Guid> recomputedIds, HashSet<Guid> storedIds, ChainWalk walk)
    {
        var signed = m.Signed!;
        var at = $"leaf {m.Index}";
        var signedName = $"event {signed.EventId} ({signed.StreamId} version {signed.StreamVersion})";
        if (m.Now is { } now && now.EventId == signed.EventId)
        {
            var what = now.StreamVersion != signed.StreamVersion
                ? $"now version {now.StreamVersion}"
                : "its content, recording time or chain changed";
            return new LedgerChange(ChangeKind.Altered, m.Index, m.Position, signed.StreamId, signed.StreamVersion, signed.EventId,
                $"{signedName}, signed at {at}, is still stored but no longer hashes to its signed leaf: {what}");
        }

        if (!recomputedIds.Contains(signed.EventId))
        {
            var note = walk.Unreadable.GetValueOrDefault(signed.Position);
            var kind = walk.Malformed.Contains(signed.Position) ? ChangeKind.Malformed : ChangeKind.Missing;
            return new LedgerChange(kind, m.Index, signed.Position, signed.StreamId, signed.StreamVersion, signed.EventId,
                note is null
                    ? $"{signedName}, signed at {at}, is no longer among the stored events"
                    : $"{signedName}, signed at {at}, is no longer readable as an event: {note}");
        }

        if (m.Now is not { } moved)
        {
            return new LedgerChange(ChangeKind.Missing, m.Index, signed.Position, signed.StreamId, signed.StreamVersion, signed.EventId,
                $"{signedName}, signed at {at}, is not where the checkpoint has it: the stored events end before it");
        }

        var movedName = $"event {moved.EventId} ({moved.StreamId} version {moved.StreamVersion})";
        return storedIds.Contains(moved.EventId)
            ? new LedgerChange(ChangeKind.Reordered, m.Index, m.Position, moved.StreamId, moved.StreamVersion, moved.EventId,
                $"{at} was signed as {signedName}, but position {m.Position} now holds {movedName}, which the log has at another leaf: events were moved in the global order")
            : new LedgerChange(ChangeKind.Inserted, m.Index, m.Position, moved.StreamId, moved.StreamVersion, moved.EventId,
                $"{at} was signed as {signedName}, but position {m.Position} now holds {movedName}, which no leaf of the log names: it was inserted");
    }

    /// <summary>The first leaf index below the checkpoint's size where the recomputed leaf is not the stored one.</summary>
    private sealed record Mismatch(long Index, long? Position, LedgerLeaf? Now, StoredLeaf? Signed);
}

/// <summary>What <c>verify --from OLD --to NEW</c> found: both signatures, and whether the ledger's log proves that NEW extends OLD.</summary>
public sealed record GrowthReport(
    long FromSize, string FromRoot, long ToSize, string ToRoot, string? FromSignatureProblem, string? ToSignatureProblem, int ProofHashes, string? Problem)
{
    public bool Holds => FromSignatureProblem is null && ToSignatureProblem is null && Problem is null;
}
