using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Cli.Projections;

/// <summary>
/// <c>--from</c>, <c>--to</c> and <c>--bucket</c> of <c>ledger timeline</c>, <c>ledger theatres</c> and <c>ledger diff</c>, with the HTTP API's
/// meaning (<see cref="TimelineRange"/>): from the first counted interaction to the as-of date unless given.
/// </summary>
public sealed class TimelineSpanOptions
{
    public Option<string?> From { get; } = new("--from") { Description = "First period (YYYY, YYYY-MM or YYYY-MM-DD). Default: the first counted interaction's." };

    public Option<string?> To { get; } = new("--to") { Description = "Last period. Default: the as-of date." };

    public Option<string> Bucket { get; } = new("--bucket") { Description = "month, quarter or year.", DefaultValueFactory = _ => "year" };

    public void AddTo(Command command)
    {
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Bucket);
    }

    public Scoring.Queries.Bucket ParseBucket(ParseResult parse) => QueryText.Bucket(parse.GetValue(Bucket), "--bucket");

    /// <summary>Refuses a <c>--from</c> after <c>--to</c> (or the as-of date) before the command opens the ledger.</summary>
    public void Check(ParseResult parse, ScoreQuery query) =>
        TimelineRange.Check(OptionParsing.Date(parse.GetValue(From), "--from"), OptionParsing.Date(parse.GetValue(To), "--to"), query, "--from", "--to");

    /// <summary>The span, asking <paramref name="firstDay"/> for the first counted interaction's day only when <c>--from</c> is not given.</summary>
    public Task<(DateOnly Start, DateOnly End)> ResolveAsync(ParseResult parse, ScoreQuery query, Func<Task<DateOnly?>> firstDay) =>
        TimelineRange.ResolveAsync(
            OptionParsing.Date(parse.GetValue(From), "--from"), OptionParsing.Date(parse.GetValue(To), "--to"), query, firstDay, "--from", "--to");
}
