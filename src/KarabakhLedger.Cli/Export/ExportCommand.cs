using System.CommandLine;
using System.Text;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Export;

namespace KarabakhLedger.Cli.Export;

/// <summary><c>ledger export</c>: one event per line, JSON Lines or CSV, to stdout or a file.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var dyadOption = new Option<string?>("--dyad") { Description = "Only this dyad's stream, e.g. RUS-TUR." };
        var formatOption = new Option<string>("--format")
        {
            Description = "jsonl (one JSON object per line) or csv.",
            DefaultValueFactory = _ => "jsonl",
        };
        formatOption.AcceptOnlyFromAmong("jsonl", "csv");
        var outputOption = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout." };
        var provenanceOption = OptionParsing.ProvenanceOption();
        var command = new Command("export", "Export events, one per line, with their sources, positions and hashes.")
        {
            dyadOption, formatOption, outputOption, provenanceOption,
        };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var dyad = OptionParsing.Dyad(parse.GetValue(dyadOption), "--dyad", context.Actors);
            var format = parse.GetValue(formatOption) == "csv" ? ExportFormat.Csv : ExportFormat.Jsonl;
            var output = parse.GetValue(outputOption);
            var provenance = OptionParsing.Provenance(parse.GetValue(provenanceOption));
            return await LedgerCli.WithStoreAsync(parse, context, async store =>
            {
                var events = LedgerExport.Select(store, dyad, EventSerializer.Default, context.Actors, cancellationToken, provenance);
                if (output is null)
                {
                    await LedgerExport.WriteAsync(events, format, context.Out, EventSerializer.Default, context.Actors, cancellationToken);
                    return ExitCodes.Ok;
                }

                await using var writer = new StreamWriter(output, append: false, new UTF8Encoding(false));
                var count = await LedgerExport.WriteAsync(events, format, writer, EventSerializer.Default, context.Actors, cancellationToken);
                await context.Error.WriteLineAsync($"{count} events written to {output}.");
                return ExitCodes.Ok;
            }, cancellationToken);
        }));
        return command;
    }
}
