using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Bundles;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Scoring.Models;
using Spectre.Console;

namespace KarabakhLedger.Cli.Projections;

/// <summary><c>ledger models [--json]</c>: the scoring models shipped as data; the JSON adds the hash an audit bundle names.</summary>
public static class ModelsCommand
{
    /// <summary>One model as <c>--json</c> prints it; <paramref name="Hash"/> is the model hash a bundle scored with it carries.</summary>
    public sealed record ModelRow(string Model, decimal HalfLifeDays, int Codes, string Description, IReadOnlyList<string> Dedup, string Hash);

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the models as a JSON array, with each model's hash (the modelHash of an audit bundle scored with it)." };
        var command = new Command("models", "List the scoring models (versioned data files) and their hashes.") { json };
        command.SetAction(async parse =>
        {
            var rows = ModelCatalog.Bundled.All
                .Select(m => new ModelRow(m.Key, m.HalfLifeDays, m.Weights.Count, m.Description, [.. m.Dedup.Select(r => r.Key)], BundleModel.Of(m).Hash()))
                .ToList();
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(ProjectionJson.Write(rows));
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("model", "half-life (days)", "codes", "description", "dedup");
            foreach (var row in rows)
            {
                table.AddRow(row.Model, row.HalfLifeDays.ToString(CultureInfo.InvariantCulture), row.Codes.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.Description), Markup.Escape(string.Join(", ", row.Dedup)));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
