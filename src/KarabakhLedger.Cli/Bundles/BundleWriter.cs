using System.Text.Json.Nodes;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Cli.Bundles;

/// <summary>A bundle that cannot be written as asked; the message says why and what to do.</summary>
public sealed class BundleRefusedException(string message) : Exception(message);

/// <summary>Builds an <see cref="AuditBundle"/> for a score from the store it was computed from.</summary>
public static class BundleWriter
{
    /// <summary>
    /// The bundle of <paramref name="score"/> (whose JSON is <paramref name="derivation"/>): every event its
    /// contributions rest on (the interaction and the correction whose facts count), each with its inclusion proof at
    /// <paramref name="checkpoint"/>'s size.
    /// </summary>
    /// <exception cref="BundleRefusedException">the ledger's log does not match the checkpoint, or an event came after it.</exception>
    public static async Task<AuditBundle> WriteAsync(
        ILedgerStore store, ScoreResult score, string derivation, Checkpoint checkpoint, ScoringModel model, CancellationToken cancellationToken)
    {
        var logSize = await store.Log.GetSizeAsync(cancellationToken);
        if (checkpoint.Size > logSize || !(await MerkleLog.RootAsync(store.Log, checkpoint.Size, cancellationToken)).AsSpan().SequenceEqual(checkpoint.RootBytes))
        {
            throw new BundleRefusedException(
                $"the ledger's Merkle log ({logSize} leaves) does not have the checkpoint's root at size {checkpoint.Size}: run 'ledger verify --checkpoint'");
        }

        var ids = score.Contributions.SelectMany(c => c.CorrectedBy is { } by ? new[] { c.EventId, by } : [c.EventId]).Distinct();
        var events = new List<BundleEvent>();
        foreach (var id in ids)
        {
            EventInclusion proof;
            try
            {
                proof = await EventProofs.ProveAsync(store, id, checkpoint.Size, cancellationToken);
            }
            catch (ProofUnavailableException e)
            {
                throw new BundleRefusedException(e.Failure is ProofFailure.OutOfRange or ProofFailure.RecordedLater
                    ? $"{e.Message} (leave out --checkpoint to sign a fresh one, or give an earlier --known-at)"
                    : e.Message);
            }

            var stored = proof.Event;
            events.Add(new BundleEvent(
                stored.EventId, stored.StreamId, stored.StreamVersion, stored.Type, stored.SchemaVersion, EventHash.FormatTimestamp(stored.RecordedAt),
                stored.PreviousHash, stored.Hash, stored.Data, Convert.ToBase64String(EventHash.Preimage(stored)), proof.LeafIndex,
                [.. proof.Path.Select(Convert.ToHexStringLower)]));
        }

        var bundleModel = BundleModel.Of(model);
        return new AuditBundle(
            AuditBundle.FormatName, checkpoint.Format(), bundleModel, bundleModel.Hash(), JsonNode.Parse(derivation)!.AsObject(),
            [.. events.OrderBy(e => e.LeafIndex)]);
    }
}
