using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Actors;
using Spectre.Console;

namespace KarabakhLedger.Cli.Actors;

/// <summary><c>ledger actors</c>: the actor registry, the only codes the ledger accepts.</summary>
public static class ActorsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("actors", "List the actors the ledger knows (codes, names, kinds).");
        command.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("code", "name", "kind");
            foreach (var actor in ActorRegistry.Default.All)
            {
                table.AddRow(actor.Code, Markup.Escape(actor.Name), System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(actor.Kind.ToString()));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
