using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using Spectre.Console;

namespace KarabakhLedger.Cli.Replay;

/// <summary>
/// <c>ledger replay --model M</c>: rebuilds the projections from the whole ledger under a model, beside the live
/// ones (which keep answering), and makes them live when caught up.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "The model to rebuild under (id@version or id).", DefaultValueFactory = _ => ModelCatalog.DefaultKey };
        var command = new Command("replay", "Rebuild the projections from the ledger under a model, blue/green, with progress.") { model };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            string key;
            try
            {
                key = ModelCatalog.Bundled.Get(parse.GetValue(model)!).Key;
            }
            catch (KeyNotFoundException e)
            {
                throw new UserInputException($"--model: {e.Message}");
            }

            return await LedgerCli.WithStoreAsync(parse, context, async (store, location) =>
            {
                await using var session = await ProjectionSession.OpenAsync(store, location, context, cancellationToken);
                ReplayResult? result = null;
                await context.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"Replaying under {key}", maxValue: 1);
                        var reporter = new Progress<ReplayProgress>(p =>
                        {
                            task.Value = p.Fraction;
                            task.Description = string.Create(CultureInfo.InvariantCulture, $"Replaying under {key}: {p.Position}/{p.Head} ({p.EventsPerSecond:0} events/s)");
                        });
                        result = await session.Cluster.ReplayAsync(key, reporter, cancellationToken);
                        task.Value = 1;
                    });
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Generation {result!.Generation.Id} ({result.Generation.ModelKey}) is live, replacing generation {result.ReplacedGeneration}: {result.EventsDelivered} events in {result.Elapsed.TotalSeconds:0.00} s ({result.EventsPerSecond:0} events/s)."));
                return ExitCodes.Ok;
            }, cancellationToken);
        }));
        return command;
    }
}
