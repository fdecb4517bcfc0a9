using KarabakhLedger.Domain.Time;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>The span of the timeline queries of the HTTP API and of <c>ledger theatres</c> and <c>ledger diff</c>.</summary>
public static class TimelineRange
{
    /// <summary>
    /// <paramref name="from"/>'s first day (default: the first day of the first counted interaction's date, from
    /// <paramref name="score"/>, asked only then; with none, the end) to <paramref name="to"/>'s last day (default:
    /// the query's as-of date). <paramref name="fromName"/> names the option in the refusal when the start is after the end.
    /// </summary>
    public static async Task<(DateOnly Start, DateOnly End)> ResolveAsync(
        PartialDate? from, PartialDate? to, ScoreQuery query, Func<Task<ScoreResult>> score, string fromName = "from", string toName = "to")
    {
        var end = to?.End ?? query.AsOf;
        var start = from?.Start;
        if (start is null)
        {
            var contributions = (await score()).Contributions;
            start = contributions.Count == 0 ? end : contributions.Min(c => PartialDate.Parse(c.OccurredOn).Start);
        }

        return start > end
            ? throw new LedgerValidationException(fromName, $"must not be after '{toName}' (default: the as-of date)")
            : (start.Value, end);
    }
}
