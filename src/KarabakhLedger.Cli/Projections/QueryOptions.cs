using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Cli.Projections;

/// <summary>
/// The options every projection query shares — the dyad, <c>--as-of</c> (valid time), <c>--known-at</c>
/// (transaction time), <c>--model</c> and <c>--json</c> — and their meaning (docs/scoring.md).
/// </summary>
public sealed class QueryOptions
{
    public Argument<string> Dyad { get; } = new("dyad") { Description = "Two actor codes, e.g. TUR-RUS (either order)." };

    public Option<string?> AsOf { get; } = new("--as-of")
    {
        Description = "Valid time: count what had happened by this date (YYYY, YYYY-MM or YYYY-MM-DD; a month or year means its last day). Default: today.",
    };

    public Option<string?> KnownAt { get; } = new("--known-at")
    {
        Description = "Transaction time: count only what the ledger had recorded by then (ISO 8601 instant, or a date meaning its end). Default: now.",
    };

    public Option<string?> Model { get; } = new("--model") { Description = $"Scoring model, id@version or id (default {ModelCatalog.DefaultKey}; see `ledger models`)." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for machines instead of tables." };

    public Option<string?> Provenance { get; } = OptionParsing.ProvenanceOption();

    public void AddTo(Command command)
    {
        command.Arguments.Add(Dyad);
        command.Options.Add(AsOf);
        command.Options.Add(KnownAt);
        command.Options.Add(Model);
        command.Options.Add(Json);
        command.Options.Add(Provenance);
    }

    /// <summary>
    /// Makes <paramref name="command"/> ask the projections for the dyad's score at the parsed bitemporal point and
    /// hand it to <paramref name="write"/> with whether <c>--json</c> was given.
    /// </summary>
    public void SetScoreAction(Command command, CliContext context, Func<ScoreResult, bool, Task> write) =>
        SetScoreAction(command, context, async (score, parse, _, _) =>
        {
            await write(score, parse.GetValue(Json));
            return ExitCodes.Ok;
        });

    /// <summary>As the overload above, handing <paramref name="handle"/> the parse result and the open store too; it returns the exit code.</summary>
    public void SetScoreAction(Command command, CliContext context, Func<ScoreResult, ParseResult, ILedgerStore, CancellationToken, Task<int>> handle) =>
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var dyad = ParseDyad(parse, context.Actors);
            var query = ParseQuery(parse, context.Clock);
            var model = ParseModel(parse);
            return await LedgerCli.WithStoreAsync(parse, context, async (store, location) =>
            {
                await using var session = await ProjectionSession.OpenForQueryAsync(store, location, context, cancellationToken);
                return await handle(await session.ScoreAsync(dyad, query, model, cancellationToken), parse, store, cancellationToken);
            }, cancellationToken);
        }));

    /// <summary>Prints <paramref name="value"/> as JSON with <c>--json</c>, else as <paramref name="table"/> draws it; exit code Ok.</summary>
    public async Task<int> PrintAsync<T>(ParseResult parse, CliContext context, T value, Action<Spectre.Console.IAnsiConsole, T> table)
    {
        if (parse.GetValue(Json))
        {
            await context.Out.WriteLineAsync(ProjectionJson.Write(value));
        }
        else
        {
            table(context.Console, value);
        }

        return ExitCodes.Ok;
    }

    public Domain.Dyads.Dyad ParseDyad(ParseResult parse, ActorRegistry actors) => OptionParsing.Dyad(parse.GetValue(Dyad), "dyad", actors)!;

    /// <summary>The dyad as the user typed its two sides, as codes in that order (<c>TUR-RUS</c>), for titles.</summary>
    public string ParseDyadAsAsked(ParseResult parse, ActorRegistry actors) => OptionParsing.AskedOrder(parse.GetValue(Dyad)!, "dyad", actors);

    public ScoreQuery ParseQuery(ParseResult parse, TimeProvider clock) =>
        QueryText.Point(parse.GetValue(AsOf), parse.GetValue(KnownAt), parse.GetValue(Provenance), clock, QueryFields.Cli);

    /// <summary>The model key, checked against the catalog so a typo is one clear line.</summary>
    public string ParseModel(ParseResult parse) => ModelKey(parse.GetValue(Model), "--model");

    /// <inheritdoc cref="QueryText.Model"/>
    public static string ModelKey(string? key, string option) => QueryText.Model(key, option);
}
