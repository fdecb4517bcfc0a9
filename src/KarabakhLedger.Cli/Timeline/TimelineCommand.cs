using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Cli.Score;
using KarabakhLedger.Scoring.Queries;
using Spectre.Console;

namespace KarabakhLedger.Cli.Timeline;

/// <summary><c>ledger timeline DYAD</c>: cooperation against conflict per month, quarter or year, optionally drawn.</summary>
public static class TimelineCommand
{
    public static Command Create(CliContext context)
    {
        var options = new QueryOptions();
        var span = new TimelineSpanOptions();
        var chart = new Option<string?>("--chart") { Description = "Also draw the timeline to this .svg or .png file." };
        var command = new Command("timeline", "A dyad's cooperation-versus-conflict timeline.");
        options.AddTo(command);
        span.AddTo(command);
        command.Options.Add(chart);
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var dyad = options.ParseDyad(parse, context.Actors);
            var title = options.ParseDyadAsAsked(parse, context.Actors);
            var query = options.ParseQuery(parse, context.Clock);
            span.Check(parse, query);
            var model = options.ParseModel(parse);
            var size = span.ParseBucket(parse);
            return await LedgerCli.WithStoreAsync(parse, context, async (store, location) =>
            {
                await using var session = await ProjectionSession.OpenForQueryAsync(store, location, context, cancellationToken);
                var (start, end) = await span.ResolveAsync(parse, query, () => session.FirstCountedAsync(dyad, query, model, cancellationToken));
                var timeline = await session.TimelineAsync(dyad, start, end, size, query, model, cancellationToken);
                if (parse.GetValue(chart) is { } path)
                {
                    TimelineChart.Save(timeline, path, title);
                    await context.Error.WriteLineAsync($"Chart written to {Path.GetFullPath(path)}.");
                }

                return await options.PrintAsync(parse, context, timeline, (console, t) => Write(console, t, title));
            }, cancellationToken);
        }, writes: false));
        return command;
    }

    /// <summary>The timeline as a table, titled with the dyad as asked (<paramref name="title"/>, e.g. <c>TUR-RUS</c>).</summary>
    public static void Write(IAnsiConsole console, TimelineResult timeline, string title)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{title}: cooperation vs conflict (model {timeline.Model.Id}@{timeline.Model.Version})")
            .AddColumns("period", "events", "cooperation", "conflict", "net", "");
        var scale = Math.Max(1m, timeline.Points.Select(p => Math.Max(p.Cooperation, -p.Conflict)).DefaultIfEmpty(1m).Max());
        foreach (var p in timeline.Points)
        {
            if (p.Events == 0)
            {
                table.AddRow(p.Label, "[dim]no data[/]", "", "", "", "");
                continue;
            }

            var bar = $"[red]{new string('█', (int)Math.Round(-p.Conflict / scale * 12))}[/]|[blue]{new string('█', (int)Math.Round(p.Cooperation / scale * 12))}[/]";
            table.AddRow(p.Label, ScoreCommand.N(p.Events), ScoreCommand.D(p.Cooperation), ScoreCommand.D(p.Conflict), ScoreCommand.D(p.Net), bar);
        }

        console.Write(table);
        ScoreCommand.WriteRolledUp(console, timeline.Dyad, timeline.RolledUp);
    }
}
