using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using Spectre.Console;
using KarabakhLedger.Cli.Record;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Recording;

namespace KarabakhLedger.Cli.Seed;

/// <summary><c>ledger seed</c>: imports the bundled, cited seed corpus; running it again appends nothing.</summary>
public static class SeedCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("seed", "Import the bundled seed corpus (idempotent: a second run appends nothing).");
        command.SetAction((parse, cancellationToken) => LedgerCli.WithStoreAsync(parse, context, cancellationToken, async store =>
        {
            context.Console.WriteLine($"Seeding {store.Description}");
            var items = await new LedgerRecorder(store, EventSerializer.Default, context.Clock).RecordAsync(SeedCorpus.Load(), cancellationToken);
            RecordingTable.Write(context.Console, items);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
