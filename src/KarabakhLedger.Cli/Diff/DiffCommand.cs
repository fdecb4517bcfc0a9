using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Cli.Score;
using KarabakhLedger.Scoring.Queries;
using Spectre.Console;

namespace KarabakhLedger.Cli.Diff;

/// <summary>
/// <c>ledger diff DYAD --model A --against B</c>: what-if, the dyad's timeline under two scoring models with each
/// period's net difference, the numbers <c>GET /api/dyads/{dyad}/diff</c> answers (<see cref="ModelDiff.Between"/>).
/// </summary>
public static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        var options = new QueryOptions();
        var span = new TimelineSpanOptions();
        var against = new Option<string>("--against") { Description = "The model to compare with, id@version or id (e.g. goldstein-icews@1).", Required = true };
        var command = new Command("diff", "What-if: a dyad's timeline under two scoring models, period by period.");
        options.AddTo(command);
        span.AddTo(command);
        command.Options.Add(against);
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var dyad = options.ParseDyad(parse, context.Actors);
            var query = options.ParseQuery(parse, context.Clock);
            span.Check(parse, query);
            var first = options.ParseModel(parse);
            var second = QueryOptions.ModelKey(parse.GetValue(against)!, "--against");
            var bucket = span.ParseBucket(parse);
            return await LedgerCli.WithStoreAsync(parse, context, async (store, location) =>
            {
                await using var session = await ProjectionSession.OpenAsync(store, location, context, cancellationToken);
                var (start, end) = await span.ResolveAsync(parse, query, () => session.Cluster.FirstCountedAsync(dyad, query, first, cancellationToken));
                var diff = ModelDiff.Between(
                    await session.Cluster.TimelineAsync(dyad, start, end, bucket, query, first, cancellationToken),
                    await session.Cluster.TimelineAsync(dyad, start, end, bucket, query, second, cancellationToken));
                return await options.PrintAsync(parse, context, diff, Write);
            }, cancellationToken);
        }, writes: false));
        return command;
    }

    public static void Write(IAnsiConsole console, ModelDiff diff)
    {
        var a = $"{diff.Model.Id}@{diff.Model.Version}";
        var b = $"{diff.Against.Id}@{diff.Against.Version}";
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{diff.Dyad}: {a} against {b} per {diff.Bucket.ToString().ToLowerInvariant()}")
            .AddColumns("period", "events", $"net, {a}", $"net, {b}", "difference");
        foreach (var p in diff.Points)
        {
            if (p.Model.Events == 0 && p.Against.Events == 0)
            {
                table.AddRow(p.Label, "[dim]no data[/]", "", "", "");
                continue;
            }

            table.AddRow(p.Label, ScoreCommand.N(p.Model.Events), ScoreCommand.D(p.Model.Net), ScoreCommand.D(p.Against.Net),
                p.NetDifference == 0 ? "0" : $"[bold]{ScoreCommand.D(p.NetDifference)}[/]");
        }

        console.Write(table);
        var moved = diff.Points.Count(p => p.NetDifference != 0);
        console.WriteLine(moved == 0 ? "No period differs: the two models weigh every counted interaction alike." : $"{moved} periods differ.");
    }
}
