using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>One theatre's timeline within a dyad's (seed document 003: Russia–Turkey competition read across theatres).</summary>
public sealed record TheatreSeries(Theatre Theatre, int Events, IReadOnlyList<TimelinePoint> Points);

/// <summary>
/// A dyad's timeline split by theatre: the same periods for every theatre it has counted interactions in. What
/// <c>GET /api/dyads/{dyad}/theatres</c> answers and <c>ledger theatres</c> prints.
/// </summary>
public sealed record TheatreTimelines(
    string Dyad, Bucket Bucket, DateOnly AsOf, DateTimeOffset KnownAt, ModelDescriptor Model, string Provenance, IReadOnlyList<TheatreSeries> Theatres)
{
    /// <summary>
    /// The score's counted interactions as one timeline per theatre over <paramref name="from"/>..<paramref name="to"/>,
    /// theatres with the most counted interactions in that span first (then by name); a theatre with none is left out.
    /// </summary>
    public static TheatreTimelines From(Dyad dyad, ScoreResult score, DateOnly from, DateOnly to, Bucket bucket, ScoreQuery query, ScoringModel model)
    {
        var series = score.Contributions
            .GroupBy(c => c.Theatre)
            .Select(g => (Theatre: g.Key, Timeline: Scorer.Timeline(dyad, from, to, bucket, query, model, g)))
            .Select(t => new TheatreSeries(t.Theatre, t.Timeline.Points.Sum(p => p.Events), t.Timeline.Points))
            .Where(t => t.Events > 0)
            .OrderByDescending(t => t.Events)
            .ThenBy(t => t.Theatre)
            .ToList();
        return new TheatreTimelines(score.Dyad, bucket, score.AsOf, score.KnownAt, score.Model, score.Provenance, series);
    }
}
