using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Actors;
using Spectre.Console;

namespace KarabakhLedger.Cli.Actors;

/// <summary>
/// <c>ledger actors</c>: the actor registry, the only actors the ledger accepts: every listed actor, or those a
/// <c>--search</c> finds by code or name; <c>--kind</c> narrows by kind. CAMEO sector codes (TURMIL) are not listed,
/// but a search for one shows what it means.
/// </summary>
public static class ActorsCommand
{
    public static Command Create(CliContext context)
    {
        var searchOption = new Option<string?>("--search") { Description = "Only actors whose code starts with, or a name contains, this text (case and accents ignored)." };
        var kindOption = new Option<string?>("--kind") { Description = $"Only actors of this kind: {string.Join(", ", ActorListings.KindNames)}." };
        var command = new Command("actors", "List the actors the ledger knows (codes, names, kinds, the state each belongs to).") { searchOption, kindOption };
        command.SetAction((parse, _) => LedgerCli.GuardAsync(context, () =>
        {
            var search = parse.GetValue(searchOption);
            var actors = ActorListings.Find(context.Actors, search, parse.GetValue(kindOption));
            var table = new Table().Border(TableBorder.Simple).AddColumns("code", "name", "kind", "state", "also");
            foreach (var actor in actors)
            {
                table.AddRow(
                    actor.Code,
                    Markup.Escape(actor.Name),
                    actor.Kind,
                    Markup.Escape(StateOf(actor)),
                    Markup.Escape(string.Join(", ", actor.Aliases.Concat(actor.Names.Take(3)))));
            }

            context.Console.Write(table);
            context.Console.WriteLine(search is null
                ? $"{actors.Count} actors. CAMEO sector codes (a country and one to three roles, e.g. TURMIL) are accepted too."
                : $"{actors.Count} {(actors.Count == 1 ? "actor matches" : "actors match")} '{search}'.");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static string StateOf(ActorListing actor) =>
        actor.Country is { } country
            ? country == actor.Code ? "" : country
            : string.Join("; ", actor.Affiliations.Select(a =>
                (a.State is null ? "none" : a.Role is null ? a.State : $"{a.State} {a.Role}")
                + (a.ValidFrom is null && a.ValidTo is null ? "" : $" {a.ValidFrom:yyyy-MM-dd}..{a.ValidTo:yyyy-MM-dd}")));
}
