using System.Globalization;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Scoring.Dedup;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Aggregates;

public enum AggregateBucket
{
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// <summary>
/// What to aggregate: the bitemporal point and provenances (<see cref="ScoreQuery"/>), the period, whether rows keep
/// the direction (source → target) and whether they stay on the recorded actor pair (<see cref="Exact"/>) instead of
/// rolling up to the two sides' states, and optionally one dyad.
/// </summary>
public sealed record AggregateRequest(ScoreQuery Query, AggregateBucket Bucket, bool Directed, bool Exact, Dyad? Dyad = null);

/// <summary>
/// One period of one dyad: its events, counted by the model's quad scheme, and the sum and mean of its weights
/// (undecayed). <see cref="Source"/>/<see cref="Target"/> are set when directed; <see cref="MentionsSum"/> sums the
/// datasets' NumMentions (0 for rows without).
/// </summary>
public sealed record AggregateRow(
    string Period, string Dyad, string? Source, string? Target, int Events, int Quad1, int Quad2, int Quad3, int Quad4,
    decimal GoldsteinSum, decimal? GoldsteinMean, long MentionsSum);

/// <summary>The rows, and what was left out: interactions whose sides count toward one state, or a side toward none.</summary>
public sealed record AggregateResult(IReadOnlyList<AggregateRow> Rows, int SameState, int NoState, string QuadScheme);

/// <summary>
/// The standard dyad-period aggregates of event-data research (R's <c>events::make_dyads</c>, <c>aggregate_icews</c>),
/// from the ledger's interactions as they stand at the query's known-at time (corrections, retractions and merges applied,
/// then the model's dedup rules: <see cref="DedupFold"/>), counted when the query counts them (<see cref="ScoreQuery.Counts"/>: provenance; effective date by as-of). Feed
/// every event in global order with <see cref="Add"/>, then <see cref="Build"/>. Every dyad has every period from the
/// first to the last with an event, empty ones with 0 events. Sums are exact decimals; the mean is rounded half to
/// even to <see cref="Scorer.Decimals"/> places, and empty for a period without events.
/// </summary>
public sealed class DyadAggregates(AggregateRequest request, ScoringModel model, ActorRegistry actors)
{
    private readonly Dictionary<Guid, (InteractionEvent Recorded, InteractionFacts Facts)> _current = [];
    private readonly List<Guid> _order = [];
    private readonly List<InteractionsMerged> _merges = [];

    /// <summary>Takes one stored event (any type); those recorded after the query's known-at time are ignored.</summary>
    public void Add(DateTimeOffset recordedAt, ILedgerEvent e)
    {
        if (recordedAt > request.Query.KnownAt)
        {
            return;
        }

        switch (e)
        {
            case InteractionEvent i when !_current.ContainsKey(i.EventId):
                _current[i.EventId] = (i, i.Facts);
                _order.Add(i.EventId);
                break;
            case InteractionCorrected c when _current.TryGetValue(c.CorrectedEventId, out var held):
                _current[c.CorrectedEventId] = held with { Facts = c.Facts };
                break;
            case InteractionRetracted r:
                _current.Remove(r.RetractedEventId);
                break;
            case InteractionsMerged m:
                _merges.Add(m);
                break;
        }
    }

    public AggregateResult Build()
    {
        var scheme = QuadSchemes.Bundled.Get(model.QuadScheme);
        var cells = new Dictionary<(string Dyad, string? Source, string? Target), Dictionary<DateOnly, Cell>>();
        int sameState = 0, noState = 0;
        DateOnly? first = null, last = null;
        var candidates = _order.Select((id, position) => (Id: id, Position: position))
            .Where(o => _current.TryGetValue(o.Id, out var held) && request.Query.Counts(held.Recorded)
                && ScoreQuery.EffectiveDate(held.Facts.OccurredOn) <= request.Query.AsOf)
            .Select(o => new DedupCandidate(_current[o.Id].Recorded, _current[o.Id].Facts, o.Position));
        foreach (var kept in DedupFold.Apply(candidates, _merges, model.Dedup).Kept)
        {
            var (held, facts) = (kept.Recorded, kept.Facts);
            var day = ScoreQuery.EffectiveDate(facts.OccurredOn);

            string source, target;
            if (request.Exact)
            {
                (source, target) = (facts.Initiator, facts.Target);
            }
            else
            {
                var a = actors.MembershipOf(facts.Initiator, day, request.Query.KnownAt);
                var b = actors.MembershipOf(facts.Target, day, request.Query.KnownAt);
                if (a is null || b is null)
                {
                    noState++;
                    continue;
                }

                if (a.State == b.State)
                {
                    sameState++;
                    continue;
                }

                (source, target) = (a.State, b.State);
            }

            var dyad = Dyad.KeyOf(source, target);
            if (request.Dyad is { } only && only.Key != dyad)
            {
                continue;
            }

            var key = request.Directed ? (dyad, source, target) : (dyad, (string?)null, (string?)null);
            if (!cells.TryGetValue(key, out var periods))
            {
                cells[key] = periods = [];
            }

            var start = Start(day, request.Bucket);
            var cell = periods.GetValueOrDefault(start);
            var quad = (int)scheme.Of(facts.CameoCode);
            periods[start] = cell.Add(quad, model.WeightOf(facts.CameoCode), (held as CodedInteraction)?.Provenance.NumMentions ?? 0);
            first = first is null || start < first ? start : first;
            last = last is null || start > last ? start : last;
        }

        var rows = new List<AggregateRow>();
        if (first is not null)
        {
            foreach (var ((dyad, source, target), periods) in cells.OrderBy(c => c.Key.Dyad, StringComparer.Ordinal).ThenBy(c => c.Key.Source, StringComparer.Ordinal))
            {
                for (var start = first.Value; start <= last!.Value; start = Next(start, request.Bucket))
                {
                    var c = periods.GetValueOrDefault(start);
                    rows.Add(new AggregateRow(
                        Label(start, request.Bucket), dyad, source, target, c.Events, c.Quad1, c.Quad2, c.Quad3, c.Quad4, c.Sum,
                        c.Events == 0 ? null : Math.Round(c.Sum / c.Events, Scorer.Decimals, MidpointRounding.ToEven), c.Mentions));
                }
            }
        }

        return new AggregateResult([.. rows.OrderBy(r => r.Period, StringComparer.Ordinal).ThenBy(r => r.Dyad, StringComparer.Ordinal).ThenBy(r => r.Source, StringComparer.Ordinal)], sameState, noState, scheme.Key);
    }

    public static DateOnly Start(DateOnly day, AggregateBucket bucket) => bucket switch
    {
        AggregateBucket.Day => day,
        AggregateBucket.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        AggregateBucket.Month => new DateOnly(day.Year, day.Month, 1),
        AggregateBucket.Quarter => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
        _ => new DateOnly(day.Year, 1, 1),
    };

    private static DateOnly Next(DateOnly start, AggregateBucket bucket) => bucket switch
    {
        AggregateBucket.Day => start.AddDays(1),
        AggregateBucket.Week => start.AddDays(7),
        AggregateBucket.Month => start.AddMonths(1),
        AggregateBucket.Quarter => start.AddMonths(3),
        _ => start.AddYears(1),
    };

    /// <summary>2022-02-24, 2022-W08 (ISO week), 2022-02, 2022-Q1, 2022.</summary>
    public static string Label(DateOnly start, AggregateBucket bucket) => bucket switch
    {
        AggregateBucket.Day => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        AggregateBucket.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(start.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(start.ToDateTime(TimeOnly.MinValue)):D2}"),
        AggregateBucket.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        AggregateBucket.Quarter => $"{start.Year}-Q{((start.Month - 1) / 3) + 1}",
        _ => start.Year.ToString(CultureInfo.InvariantCulture),
    };

    private readonly record struct Cell(int Events, int Quad1, int Quad2, int Quad3, int Quad4, decimal Sum, long Mentions)
    {
        public Cell Add(int quad, decimal weight, long mentions) => new(
            Events + 1, Quad1 + (quad == 1 ? 1 : 0), Quad2 + (quad == 2 ? 1 : 0), Quad3 + (quad == 3 ? 1 : 0), Quad4 + (quad == 4 ? 1 : 0),
            Sum + weight, Mentions + mentions);
    }
}
