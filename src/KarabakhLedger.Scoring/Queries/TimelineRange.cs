using KarabakhLedger.Domain.Time;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>The span of the timeline queries of the HTTP API and of <c>ledger theatres</c> and <c>ledger diff</c>.</summary>
public static class TimelineRange
{
    /// <summary>
    /// <paramref name="from"/>'s first day (default: <paramref name="firstDay"/>, the first day of the first counted
    /// interaction's date (<see cref="FirstDay"/>), asked only then; with none, the end) to <paramref name="to"/>'s last day (default:
    /// the query's as-of date; never after the end). <paramref name="fromName"/> names the option in the refusal when a
    /// given start is after the end.
    /// </summary>
    public static async Task<(DateOnly Start, DateOnly End)> ResolveAsync(
        PartialDate? from, PartialDate? to, ScoreQuery query, Func<Task<DateOnly?>> firstDay, string fromName = "from", string toName = "to")
    {
        Check(from, to, query, fromName, toName);
        var end = to?.End ?? query.AsOf;
        if (from is { } given)
        {
            return (given.Start, end);
        }

        // The default start is never after the end: a span that ends before the first counted interaction is the end's
        // own period, with no data, not a refusal of a start the caller did not give.
        var first = await firstDay() ?? end;
        return (first < end ? first : end, end);
    }

    /// <summary>
    /// Refuses a given <paramref name="from"/> after the end, before anything is asked of the ledger: the check
    /// <see cref="ResolveAsync"/> makes, for a front end that wants to refuse before it opens anything.
    /// </summary>
    public static void Check(PartialDate? from, PartialDate? to, ScoreQuery query, string fromName = "from", string toName = "to")
    {
        if (from is { } given && given.Start > (to?.End ?? query.AsOf))
        {
            throw Refusal(fromName, toName);
        }
    }

    private static LedgerValidationException Refusal(string fromName, string toName) =>
        new(fromName, $"must not be after '{toName}' (default: the as-of date)");

    /// <summary>The first day of the earliest date among <paramref name="contributions"/>, or null when there are none.</summary>
    public static DateOnly? FirstDay(IEnumerable<Contribution> contributions) =>
        contributions.Select(c => (DateOnly?)PartialDate.Parse(c.OccurredOn).Start).Min();
}
