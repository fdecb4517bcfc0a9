using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Cli.Prove;

/// <summary>
/// <c>ledger prove EVENT_ID --checkpoint FILE [--key PUBKEY]</c>: the event's leaf index, leaf hash and audit path in
/// the log at the checkpoint's tree size, verified against the checkpoint's root (and its signature with <c>--key</c>).
/// Exit 0 when everything checked holds, 3 when something does not or the event was recorded after the checkpoint.
/// </summary>
public static class ProveCommand
{
    public static Command Create(CliContext context)
    {
        var eventId = new Argument<string>("event-id") { Description = "The event's id (a GUID)." };
        var checkpoint = new Option<string>("--checkpoint") { Description = "The signed checkpoint to prove against (ledger checkpoint).", Required = true };
        var key = AuditFiles.PublicKeyOption("The ledger's public key (ledger-signing.pub); without it the checkpoint's signature is not checked.");
        var command = new Command("prove", "Prove that an event is in the ledger's Merkle log as a signed checkpoint saw it.") { eventId, checkpoint, key };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var id = Guid.TryParse(parse.GetValue(eventId), out var parsed)
                ? parsed
                : throw new UserInputException($"event-id: '{parse.GetValue(eventId)}' is not a GUID");
            var head = AuditFiles.LoadCheckpoint(parse.GetValue(checkpoint)!, "--checkpoint");
            var verifying = parse.GetValue(key) is { } keyPath ? AuditFiles.LoadPublicKey(keyPath, "--key") : null;
            return await LedgerCli.WithStoreAsync(parse, context, async store =>
            {
                var logSize = await store.Log.GetSizeAsync(cancellationToken);
                if (logSize < head.Size)
                {
                    await context.Error.WriteLineAsync($"error: the ledger's Merkle log holds {logSize} leaves, fewer than the checkpoint's {head.Size}: events were removed. Run 'ledger verify'.");
                    return ExitCodes.VerificationFailed;
                }

                EventInclusion proof;
                try
                {
                    proof = await EventProofs.ProveAsync(store, id, head.Size, cancellationToken);
                }
                catch (ProofUnavailableException e)
                {
                    await context.Error.WriteLineAsync(e.Failure switch
                    {
                        ProofFailure.OutOfRange => $"error: --checkpoint: {e.Message}",
                        ProofFailure.RecordedLater => $"error: not provable against this checkpoint: {e.Message}",
                        _ => $"error: {e.Message}",
                    });
                    return e.Failure is ProofFailure.Damaged or ProofFailure.RecordedLater ? ExitCodes.VerificationFailed : ExitCodes.InvalidInput;
                }

                var output = context.Out;
                await output.WriteLineAsync($"event      {proof.Event.EventId:D} (stream {proof.Event.StreamId}, version {proof.Event.StreamVersion})");
                await output.WriteLineAsync($"leaf index {proof.LeafIndex} of {proof.TreeSize}");
                await output.WriteLineAsync($"leaf hash  {Convert.ToHexStringLower(proof.LeafHash)}");
                await output.WriteLineAsync($"path       {proof.Path.Count} hashes, leaf level first");
                foreach (var hash in proof.Path)
                {
                    await output.WriteLineAsync($"  {Convert.ToHexStringLower(hash)}");
                }

                var failures = new List<string>();
                await Check(output, proof.EventHashHolds, "the stored event hashes to its chain hash", failures);
                await Check(output, proof.VerifiesAgainst(head.RootBytes), $"the path leads from the leaf to the checkpoint's root {head.Root}", failures);
                if (verifying is null)
                {
                    await output.WriteLineAsync($"not checked: the checkpoint's signature (key {head.KeyId}); pass --key PUBKEY");
                }
                else
                {
                    await Check(output, head.IsSignedBy(verifying), $"the checkpoint is signed by key {verifying.KeyId}", failures);
                }

                if (failures.Count > 0)
                {
                    await context.Error.WriteLineAsync($"error: the proof does not hold: {string.Join("; ", failures)}");
                    return ExitCodes.VerificationFailed;
                }

                return ExitCodes.Ok;
            }, cancellationToken);
        }));
        return command;
    }

    private static async Task Check(TextWriter output, bool holds, string what, List<string> failures)
    {
        await output.WriteLineAsync($"{(holds ? "ok" : "FAILED")}: {what}");
        if (!holds)
        {
            failures.Add(what);
        }
    }
}
