using System.CommandLine;
using System.Text;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Keys;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Cli.Bundles;

/// <summary>
/// <c>ledger explain DYAD … --bundle FILE [--checkpoint FILE | --key FILE]</c>: writes the derivation as an offline
/// audit bundle, against the given checkpoint or one signed now with the signing key.
/// </summary>
public sealed class ExplainBundle
{
    public Option<string?> Bundle { get; } = new("--bundle") { Description = "Write an offline audit bundle of the derivation to this file (docs/audit-bundle.md)." };

    public Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = "With --bundle: prove the events against this checkpoint instead of signing a fresh one." };

    public Option<string?> Key { get; } = new("--key") { Description = "With --bundle: the private key to sign a fresh checkpoint with. Default: $LEDGER_SIGNING_KEY, else keys/ledger-signing.key in the user's ledger data folder." };

    public void AddTo(Command command)
    {
        command.Options.Add(Bundle);
        command.Options.Add(Checkpoint);
        command.Options.Add(Key);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Bundle) is null && (result.GetValue(Checkpoint) is not null || result.GetValue(Key) is not null))
            {
                result.AddError("--checkpoint and --key: only with --bundle");
            }
            else if (result.GetValue(Checkpoint) is not null && result.GetValue(Key) is not null)
            {
                result.AddError("--checkpoint and --key: give one (an existing checkpoint, or the key to sign a fresh one)");
            }
        });
    }

    /// <summary>Writes the bundle of <paramref name="score"/>; nothing is written when it cannot be made whole.</summary>
    public async Task<int> WriteAsync(CliContext context, ParseResult parse, ILedgerStore store, ScoreResult score, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(Bundle)!;
        var checkpoint = parse.GetValue(Checkpoint) is { } checkpointPath
            ? AuditFiles.LoadCheckpoint(checkpointPath, "--checkpoint")
            : await SignAsync(context, store, parse.GetValue(Key), cancellationToken);
        AuditBundle bundle;
        try
        {
            bundle = await BundleWriter.WriteAsync(
                store, score, ProjectionJson.Write(score), checkpoint, ModelCatalog.Bundled.Get($"{score.Model.Id}@{score.Model.Version}"), cancellationToken);
        }
        catch (BundleRefusedException e)
        {
            await context.Error.WriteLineAsync($"error: no bundle written: {e.Message}");
            return ExitCodes.VerificationFailed;
        }

        await File.WriteAllTextAsync(path, bundle.Serialize(), new UTF8Encoding(false), cancellationToken);
        await context.Error.WriteLineAsync(
            $"Bundle of {score.Dyad}'s score {score.Score} ({bundle.Events.Count} events, proved against checkpoint size {checkpoint.Size}, key {checkpoint.KeyId}) written to {path}.");
        return ExitCodes.Ok;
    }

    private static async Task<Checkpoint> SignAsync(CliContext context, ILedgerStore store, string? keyPath, CancellationToken cancellationToken)
    {
        using var signing = AuditFiles.LoadSigningKey(keyPath ?? KeyCommand.DefaultPrivateKey(context), "--key");
        return Ledger.Checkpoints.Checkpoint.Sign(await MerkleLog.HeadAsync(store.Log, cancellationToken), context.Clock.GetUtcNow(), signing);
    }
}
