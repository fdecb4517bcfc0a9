using System.CommandLine;
using System.Text.Json;
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
        var kindOption = new Option<string?>("--kind") { Description = $"Only actors of this kind: {string.Join(", ", Enum.GetValues<ActorKind>().Select(KindName))}." };
        var command = new Command("actors", "List the actors the ledger knows (codes, names, kinds, the state each belongs to).") { searchOption, kindOption };
        command.SetAction((parse, _) => LedgerCli.GuardAsync(context, () =>
        {
            var registry = ActorRegistry.Default;
            var search = parse.GetValue(searchOption);
            var kindText = parse.GetValue(kindOption);
            ActorKind? kind = null;
            if (kindText is not null)
            {
                kind = Enum.GetValues<ActorKind>().Where(k => KindName(k) == kindText.Trim().ToLowerInvariant()).Cast<ActorKind?>().FirstOrDefault()
                    ?? throw new UserInputException($"--kind: must be one of {string.Join(", ", Enum.GetValues<ActorKind>().Select(KindName))}");
            }

            var actors = (search is null ? registry.All : registry.Search(search, int.MaxValue)).Where(a => kind is null || a.Kind == kind).ToArray();
            var table = new Table().Border(TableBorder.Simple).AddColumns("code", "name", "kind", "state", "also");
            foreach (var actor in actors)
            {
                table.AddRow(
                    actor.Code,
                    Markup.Escape(actor.Name),
                    KindName(actor.Kind),
                    Markup.Escape(StateOf(registry, actor)),
                    Markup.Escape(Also(registry, actor)));
            }

            context.Console.Write(table);
            context.Console.WriteLine(search is null
                ? $"{actors.Length} actors. CAMEO sector codes (a country and one to three roles, e.g. TURMIL) are accepted too."
                : $"{actors.Length} {(actors.Length == 1 ? "actor matches" : "actors match")} '{search}'.");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static string KindName(ActorKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    private static string StateOf(ActorRegistry registry, Actor actor)
    {
        if (actor.Country is { } country)
        {
            return country == actor.Code ? "" : country;
        }

        return string.Join("; ", registry.AffiliationsOf(actor.Code).Select(a =>
            (a.State is null ? "none" : a.Role is null ? a.State : $"{a.State} {a.Role}")
            + (a.ValidFrom is null && a.ValidTo is null ? "" : $" {a.ValidFrom:yyyy-MM-dd}..{a.ValidTo:yyyy-MM-dd}")));
    }

    private static string Also(ActorRegistry registry, Actor actor)
    {
        var codes = registry.CodeAliases.Where(p => p.Value == actor.Code).Select(p => p.Key).Order(StringComparer.Ordinal);
        var names = actor.Names.Skip(1).Take(3);
        return string.Join(", ", codes.Concat(names));
    }
}
