using System.CommandLine;
using KarabakhLedger.Cli.Copy;
using KarabakhLedger.Cli.Hosting;
using Spectre.Console;
using KarabakhLedger.Ledger.Verification;

namespace KarabakhLedger.Cli.Verify;

/// <summary><c>ledger verify</c>: re-checks every stream's hash chain and names the first broken link.</summary>
public static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("verify", "Re-check every hash chain; exit code 3 and the first broken link if one fails.");
        command.SetAction((parse, cancellationToken) => LedgerCli.WithStoreAsync(parse, context, cancellationToken, async store =>
        {
            if (await IncompleteCopy.ReportAsync(store, context, cancellationToken) is { } incomplete)
            {
                return incomplete;
            }

            var report = await ChainVerifier.VerifyAsync(store, cancellationToken: cancellationToken);
            if (report.FirstBroken is { } broken)
            {
                await context.Error.WriteLineAsync(
                    $"BROKEN: {broken.StreamId} version {broken.StreamVersion} (event {broken.EventId}, position {broken.Position}): {broken.Problem}.");
                return ExitCodes.VerificationFailed;
            }

            context.Console.WriteLine($"OK: {report.EventsChecked} events in {report.StreamsChecked} streams; every hash chain is intact.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
