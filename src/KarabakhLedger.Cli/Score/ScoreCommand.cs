using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Scoring.Queries;
using Spectre.Console;

namespace KarabakhLedger.Cli.Score;

/// <summary><c>ledger score DYAD</c>: a relationship's score at a bitemporal point, from the Orleans projections.</summary>
public static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var options = new QueryOptions();
        var command = new Command("score", "A dyad's relationship score: cooperation, conflict, net and the decayed score.");
        options.AddTo(command);
        options.SetScoreAction(command, context, async (score, json) =>
        {
            if (json)
            {
                await context.Out.WriteLineAsync(ProjectionJson.Write(score with { Contributions = [], SetAside = [] }));
            }
            else
            {
                Write(context.Console, score);
            }
        });
        return command;
    }

    public static void Write(IAnsiConsole console, ScoreResult score)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{score.Dyad} as of {score.AsOf:yyyy-MM-dd}, known at {score.KnownAt:yyyy-MM-dd HH:mm:ss}Z")
            .AddColumns("", "events", "cooperation", "conflict", "net", "score");
        table.AddRow("[bold]all[/]", N(score.Events), D(score.Cooperation), D(score.Conflict), D(score.Net), $"[bold]{D(score.Score)}[/]");
        foreach (var (direction, b) in score.ByDirection)
        {
            table.AddRow(Markup.Escape(direction), N(b.Events), D(b.Cooperation), D(b.Conflict), D(b.Net), D(b.Score));
        }

        foreach (var (theatre, b) in score.ByTheatre)
        {
            table.AddRow(Markup.Escape(System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(theatre.ToString())), N(b.Events), D(b.Cooperation), D(b.Conflict), D(b.Net), D(b.Score));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(DecayNote(score)));
        WriteRolledUp(console, score.Dyad, score.RolledUp);
        if (score.SetAside.Count > 0)
        {
            console.MarkupLine(Markup.Escape(
                $"set aside by dedup: {string.Join(", ", score.SetAside.GroupBy(a => a.Rule, StringComparer.Ordinal).Select(g => $"{g.Count()} by {g.Key}"))} (`ledger explain` lists them)"));
        }

        console.MarkupLine(Markup.Escape(string.Join("   ", score.ByQuadClass.Select(q => $"{q.Key}: {q.Value}"))));
        console.MarkupLine(Markup.Escape($"model {score.Model.Id}@{score.Model.Version} ({string.Join(", ", score.Model.Parameters.Select(p => $"{p.Key}={p.Value}"))}); digest {score.Digest}"));
    }

    /// <summary>What "score" means beside "net": decay counts each event's age back from the as-of date, not from today.</summary>
    internal static string DecayNote(ScoreResult score) =>
        $"score: the net with each event's value halved every {score.Model.Parameters.GetValueOrDefault("halfLifeDays", "?")} days of its age at the as-of date, {score.AsOf:yyyy-MM-dd}; cooperation, conflict and net are not decayed";

    /// <summary>The line that names what a country dyad's result rolled up: each other actor pair and its events.</summary>
    internal static void WriteRolledUp(IAnsiConsole console, string dyad, IReadOnlyList<RolledUpDyad> rolledUp)
    {
        if (rolledUp.Count > 0)
        {
            console.MarkupLine(Markup.Escape(
                $"rolled up into {dyad}: {string.Join(", ", rolledUp.Select(r => $"{r.Dyad} ({r.Events} {(r.Events == 1 ? "event" : "events")})"))}"));
        }
    }

    internal static string D(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    internal static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
