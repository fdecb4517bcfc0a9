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
        command.SetAction((parse, cancellationToken) => LedgerCli.WithStoreAsync(parse, context, async store =>
        {
            context.Console.WriteLine($"Seeding {store.Description}");
            var items = await new LedgerRecorder(store, EventSerializer.Default, context.Clock).RecordAsync(SeedCorpus.Load(), cancellationToken: cancellationToken);
            RecordingTable.Write(context.Console, items);
            var replaced = new List<ReplacedEntry>();
            foreach (var entry in SeedCorpus.Replaced)
            {
                if (await store.FindEventAsync(entry.EventId, cancellationToken) is not null)
                {
                    replaced.Add(entry);
                }
            }

            if (replaced.Count > 0)
            {
                context.Console.WriteLine(
                    $"This ledger also holds {replaced.Count} events of an earlier seed corpus that this one replaced (docs/corpus-audit.md, part 4). "
                    + "They stay as recorded; to follow the revised corpus, retract them with `ledger record`:");
                foreach (var entry in replaced)
                {
                    context.Console.WriteLine($"  {entry.EventId}  {entry.Reason}");
                }
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
