using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Scoring.Models;
using Spectre.Console;

namespace KarabakhLedger.Cli.Projections;

/// <summary><c>ledger models</c>: the scoring models shipped as data.</summary>
public static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("models", "List the scoring models (versioned data files).");
        command.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("model", "half-life (days)", "codes", "description", "dedup");
            foreach (var model in ModelCatalog.Bundled.All)
            {
                table.AddRow(model.Key, model.HalfLifeDays.ToString(System.Globalization.CultureInfo.InvariantCulture), model.Weights.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(model.Description), Markup.Escape(string.Join(", ", model.Dedup.Select(r => r.Key))));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
