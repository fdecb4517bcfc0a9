using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Ledger.Checkpoints;

namespace KarabakhLedger.Cli.Keys;

/// <summary>
/// <c>ledger key create [--out DIR]</c>: a new Ed25519 signing key for checkpoints, as two files outside the ledger's
/// database: <c>ledger-signing.key</c> (private, mode 0600) and <c>ledger-signing.pub</c> (public, to hand to auditors).
/// </summary>
public static class KeyCommand
{
    /// <summary>The private key file <c>ledger checkpoint</c> uses without <c>--key</c>: $LEDGER_SIGNING_KEY, else the data folder's.</summary>
    public static string DefaultPrivateKey(CliContext context) =>
        context.Environment("LEDGER_SIGNING_KEY") is { Length: > 0 } path ? path : Path.Combine(StoreLocation.DataFolder(context), "keys", "ledger-signing.key");

    public static Command Create(CliContext context)
    {
        var output = new Option<string?>("--out") { Description = "The folder for the two key files. Default: keys/ in the user's ledger data folder." };
        var create = new Command("create", "Create an Ed25519 signing key for checkpoints (never overwrites one).") { output };
        create.SetAction((parse, _) => LedgerCli.GuardAsync(context, async () =>
        {
            var folder = parse.GetValue(output) ?? Path.GetDirectoryName(DefaultPrivateKey(context))!;
            try
            {
                var (privatePath, publicPath, keyId) = LedgerSigningKey.CreateFiles(folder);
                await context.Out.WriteLineAsync($"Created signing key {keyId}.");
                await context.Out.WriteLineAsync($"  private: {privatePath} (mode 0600; keep it off the ledger's database server and back it up)");
                await context.Out.WriteLineAsync($"  public:  {publicPath} (give it to auditors: ledger verify --key)");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"--out: {e.Message}");
            }
        }));
        return new Command("key", "Signing keys for checkpoints.") { create };
    }
}
