using System.CommandLine;
using KarabakhLedger.Cli.Hosting;

namespace KarabakhLedger.Cli.Bundles;

/// <summary>
/// <c>ledger verify-bundle FILE --key PUBKEY [--model-hash HEX]</c>: checks an offline audit bundle with no database
/// (<see cref="BundleVerifier"/>), printing every check; exit 0 when all hold, 3 naming the checks that did not.
/// </summary>
public static class VerifyBundleCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The bundle (ledger explain DYAD --bundle FILE)." };
        var key = AuditFiles.PublicKeyOption("The ledger's public key (ledger-signing.pub), obtained from the ledger's owner by a channel of your own.");
        key.Required = true;
        var modelHash = new Option<string?>("--model-hash") { Description = "The model hash to trust. Default: that of the model of the same id and version shipped with this ledger." };
        var command = new Command("verify-bundle", "Check an offline audit bundle: signature, every event's hash and inclusion proof, the model's hash, and the score recomputed.")
        {
            file, key, modelHash,
        };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var verifying = AuditFiles.LoadPublicKey(parse.GetValue(key)!, "--key");
            string json;
            try
            {
                json = await File.ReadAllTextAsync(parse.GetValue(file)!, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"file: {e.Message}");
            }

            var checks = BundleVerifier.Verify(json, verifying, parse.GetValue(modelHash));
            foreach (var check in checks)
            {
                await context.Out.WriteLineAsync(check.ToString());
            }

            var failed = checks.Where(c => !c.Holds).Select(c => c.Category).Distinct().ToList();
            if (failed.Count > 0)
            {
                await context.Error.WriteLineAsync($"error: the bundle does not verify: {checks.Count(c => !c.Holds)} of {checks.Count} checks failed ({string.Join(", ", failed)})");
                return ExitCodes.VerificationFailed;
            }

            await context.Out.WriteLineAsync($"The bundle verifies: all {checks.Count} checks held.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
