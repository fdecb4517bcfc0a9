using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Cli.Score;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using Spectre.Console;

namespace KarabakhLedger.Cli.Theatres;

/// <summary>
/// <c>ledger theatres DYAD</c>: the dyad's timeline per theatre, the numbers <c>GET /api/dyads/{dyad}/theatres</c>
/// answers (<see cref="TheatreTimelines.From"/>), as a table of net (events) per period and theatre, or as JSON.
/// </summary>
public static class TheatresCommand
{
    public static Command Create(CliContext context)
    {
        var options = new QueryOptions();
        var span = new TimelineSpanOptions();
        var command = new Command("theatres", "A dyad's timeline per theatre (seed document 003: read across theatres).");
        options.AddTo(command);
        span.AddTo(command);
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var dyad = options.ParseDyad(parse, context.Actors);
            var query = options.ParseQuery(parse, context.Clock);
            span.Check(parse, query);
            var model = ModelCatalog.Bundled.Get(options.ParseModel(parse));
            var bucket = span.ParseBucket(parse);
            return await LedgerCli.WithStoreAsync(parse, context, async (store, location) =>
            {
                await using var session = await ProjectionSession.OpenAsync(store, location, context, cancellationToken);
                var score = await session.Cluster.ScoreAsync(dyad, query, model.Key, cancellationToken);
                var (start, end) = await span.ResolveAsync(parse, query, () => Task.FromResult(TimelineRange.FirstDay(score.Contributions)));
                var theatres = TheatreTimelines.From(dyad, score, start, end, bucket, query, model);
                return await options.PrintAsync(parse, context, theatres, Write);
            }, cancellationToken);
        }, writes: false));
        return command;
    }

    public static void Write(IAnsiConsole console, TheatreTimelines theatres)
    {
        var names = theatres.Theatres.Select(t => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(t.Theatre.ToString())).ToList();
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{theatres.Dyad} across {names.Count} theatres: net (events) per {theatres.Bucket.ToString().ToLowerInvariant()} (model {theatres.Model.Id}@{theatres.Model.Version})")
            .AddColumn("period");
        foreach (var (name, series) in names.Zip(theatres.Theatres))
        {
            table.AddColumn($"{name} ({series.Events})");
        }

        var periods = theatres.Theatres.Count > 0 ? theatres.Theatres[0].Points.Count : 0;
        for (var i = 0; i < periods; i++)
        {
            var cells = theatres.Theatres.Select(t => t.Points[i]).Select(p => p.Events == 0 ? "" : $"{ScoreCommand.D(p.Net)} ({ScoreCommand.N(p.Events)})").ToList();
            if (cells.All(c => c.Length == 0))
            {
                cells[0] = "[dim]no data[/]";
            }

            table.AddRow([theatres.Theatres[0].Points[i].Label, .. cells]);
        }

        console.Write(table);
        if (periods == 0)
        {
            console.MarkupLine("[dim]no data: nothing counted for this dyad.[/]");
        }
    }
}
