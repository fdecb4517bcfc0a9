using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Export;
using Spectre.Console;

namespace KarabakhLedger.Cli.Events;

/// <summary>
/// <c>ledger events</c>: stored events as a table for people, optionally one dyad's and within dates. An event
/// dated to a month or a year is shown when that month or year overlaps the range.
/// </summary>
public static class EventsCommand
{
    public static Command Create(CliContext context)
    {
        var dyadOption = new Option<string?>("--dyad") { Description = "Only this dyad, e.g. RUS-TUR (either order)." };
        var fromOption = new Option<string?>("--from") { Description = "Only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)." };
        var toOption = new Option<string?>("--to") { Description = "Only events on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)." };
        var provenanceOption = OptionParsing.ProvenanceOption();
        var command = new Command("events", "Show stored events as a table.") { dyadOption, fromOption, toOption, provenanceOption };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var dyad = OptionParsing.Dyad(parse.GetValue(dyadOption), "--dyad", context.Actors);
            var from = OptionParsing.Date(parse.GetValue(fromOption), "--from")?.Start ?? DateOnly.MinValue;
            var to = OptionParsing.Date(parse.GetValue(toOption), "--to")?.End ?? DateOnly.MaxValue;
            if (from > to)
            {
                throw new UserInputException("--from: must not be after --to");
            }

            var provenance = OptionParsing.Provenance(parse.GetValue(provenanceOption));
            var filtered = from != DateOnly.MinValue || to != DateOnly.MaxValue;
            return await LedgerCli.WithStoreAsync(parse, context, async store =>
            {
                var table = new Table().Border(TableBorder.Simple)
                    .AddColumns("pos", "dyad", "occurred", "type", "provenance", "cameo", "who", "summary");
                var count = 0;
                await foreach (var stored in LedgerExport.Select(store, dyad, EventSerializer.Default, context.Actors, cancellationToken, provenance))
                {
                    var view = LedgerEventView.From(stored, EventSerializer.Default, context.Actors);
                    var occurred = view.OccurredOn is null ? (PartialDate?)null : PartialDate.Parse(view.OccurredOn);
                    if (filtered && (occurred is null || occurred.Value.End < from || occurred.Value.Start > to))
                    {
                        continue;
                    }

                    count++;
                    table.AddRow(
                        view.Position.ToString(CultureInfo.InvariantCulture),
                        view.Dyad,
                        view.OccurredOn ?? "",
                        Markup.Escape(view.Type),
                        view.Provenance,
                        view.CameoCode ?? "",
                        Markup.Escape(Who(view)),
                        Markup.Escape(Shorten(view.Summary ?? view.Reason ?? "", 70)));
                }

                context.Console.Write(table);
                context.Console.WriteLine($"{count} events.");
                return ExitCodes.Ok;
            }, cancellationToken);
        }));
        return command;
    }

    private static string Who(LedgerEventView v) =>
        v.Initiator is null ? ""
        : v.Joint == true ? $"{v.Initiator} + {v.Target}"
        : $"{v.Initiator} → {v.Target}";

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
