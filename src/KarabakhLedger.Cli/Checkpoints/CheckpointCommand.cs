using System.CommandLine;
using System.Text;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Keys;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;

namespace KarabakhLedger.Cli.Checkpoints;

/// <summary>
/// <c>ledger checkpoint [-o FILE] [--key FILE]</c>: signs the Merkle log's current size and root, at the CLI's clock,
/// with the signing key, and writes the checkpoint (docs/checkpoints.md) to stdout or a file.
/// </summary>
public static class CheckpointCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the checkpoint to this file instead of stdout." };
        var key = new Option<string?>("--key") { Description = "The private key file (ledger key create). Default: $LEDGER_SIGNING_KEY, else keys/ledger-signing.key in the user's ledger data folder." };
        var command = new Command("checkpoint", "Sign the ledger's Merkle tree head (size, root, time) to keep outside the database.") { output, key };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            using (var signing = AuditFiles.LoadSigningKey(parse.GetValue(key) ?? KeyCommand.DefaultPrivateKey(context), "--key"))
            {
                return await LedgerCli.WithStoreAsync(parse, context, async store =>
                {
                    var checkpoint = Ledger.Checkpoints.Checkpoint.Sign(await MerkleLog.HeadAsync(store.Log, cancellationToken), context.Clock.GetUtcNow(), signing);
                    if (parse.GetValue(output) is { } path)
                    {
                        await File.WriteAllTextAsync(path, checkpoint.Format(), new UTF8Encoding(false), cancellationToken);
                        await context.Error.WriteLineAsync($"Checkpoint of {checkpoint.Size} events signed with key {checkpoint.KeyId}, written to {path}.");
                    }
                    else
                    {
                        await context.Out.WriteAsync(checkpoint.Format());
                    }

                    return ExitCodes.Ok;
                }, cancellationToken);
            }
        }));
        return command;
    }
}
