using System.CommandLine;
using KarabakhLedger.Cli.Actors;
using KarabakhLedger.Cli.Aggregate;
using KarabakhLedger.Cli.Copy;
using KarabakhLedger.Cli.Demo;
using KarabakhLedger.Cli.Events;
using KarabakhLedger.Cli.Explain;
using KarabakhLedger.Cli.Import;
using KarabakhLedger.Cli.Export;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Cli.Record;
using KarabakhLedger.Cli.Replay;
using KarabakhLedger.Cli.Score;
using KarabakhLedger.Cli.Seed;
using KarabakhLedger.Cli.Timeline;
using KarabakhLedger.Cli.Verify;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Stores;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>The <c>ledger</c> command line: its commands, the shared <c>--store</c> option and error handling.</summary>
public static class LedgerCli
{
    public static Option<string?> StoreOption { get; } = new("--store")
    {
        Description = "The ledger: a SQLite file path, or a PostgreSQL connection string (Host=...;Database=...;Username=...). Default: $LEDGER_STORE, else ledger.db in the user's data folder.",
        Recursive = true,
    };

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("KarabakhLedger: an event-sourced, cited ledger of diplomatic relations between dyads of actors.");
        root.Options.Add(StoreOption);
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(SeedCommand.Create(context));
        root.Subcommands.Add(RecordCommand.Create(context));
        root.Subcommands.Add(EventsCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(VerifyCommand.Create(context));
        root.Subcommands.Add(Keys.KeyCommand.Create(context));
        root.Subcommands.Add(Checkpoints.CheckpointCommand.Create(context));
        root.Subcommands.Add(ScoreCommand.Create(context));
        root.Subcommands.Add(TimelineCommand.Create(context));
        root.Subcommands.Add(Theatres.TheatresCommand.Create(context));
        root.Subcommands.Add(Diff.DiffCommand.Create(context));
        root.Subcommands.Add(ExplainCommand.Create(context));
        root.Subcommands.Add(ReplayCommand.Create(context));
        root.Subcommands.Add(ModelsCommand.Create(context));
        root.Subcommands.Add(CopyCommand.Create(context));
        root.Subcommands.Add(Serve.ServeCommand.Create(context));
        root.Subcommands.Add(ActorsCommand.Create(context));
        root.Subcommands.Add(ImportCommand.Create(context));
        root.Subcommands.Add(AggregateCommand.Create(context));
        root.Subcommands.Add(Prove.ProveCommand.Create(context));
        root.Subcommands.Add(Bundles.VerifyBundleCommand.Create(context));
        return root;
    }

    /// <summary>The commands that append to the ledger: only their refusals say that nothing was written.</summary>
    private static readonly HashSet<string> WritingCommands = new(StringComparer.Ordinal) { "record", "import", "copy", "seed", "demo" };

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parsed = Build(context).Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken);
    }

    /// <summary>Opens the store the command line names, runs <paramref name="body"/>, and turns failures into one clear line and an exit code.</summary>
    public static Task<int> WithStoreAsync(
        ParseResult parse, CliContext context, Func<ILedgerStore, Task<int>> body, CancellationToken cancellationToken) =>
        WithStoreAsync(parse, context, (store, _) => body(store), cancellationToken);

    /// <summary>As the overload above, handing <paramref name="body"/> the store's location too, for the stores beside it.</summary>
    public static async Task<int> WithStoreAsync(
        ParseResult parse, CliContext context, Func<ILedgerStore, LedgerLocation, Task<int>> body, CancellationToken cancellationToken) =>
        await GuardAsync(
            context,
            async () =>
            {
                var location = StoreLocation.Resolve(parse.GetValue(StoreOption), context);
                await using var store = await location.OpenLedgerAsync(context.Clock, cancellationToken);
                return await body(store, location);
            },
            writes: WritingCommands.Contains(parse.CommandResult.Command.Name));

    /// <summary>
    /// Runs <paramref name="body"/> and turns failures into one clear line and an exit code. A refusal says that nothing
    /// was written only for a command that <paramref name="writes"/> to the ledger.
    /// </summary>
    public static async Task<int> GuardAsync(CliContext context, Func<Task<int>> body, bool writes = true)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (LedgerFailure.Of(e, writes) is { } failure)
        {
            foreach (var line in failure.Lines())
            {
                await context.Error.WriteLineAsync(line);
            }

            return ExitCodes.For(failure.Kind);
        }
        catch (UserInputException e)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
    }
}

/// <summary>A command-line value that does not make sense; the message names the option and the rule.</summary>
public sealed class UserInputException(string message) : Exception(message);
