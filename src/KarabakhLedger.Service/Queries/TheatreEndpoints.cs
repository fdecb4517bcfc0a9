using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Queries;

/// <summary>One theatre's timeline within a dyad's (seed document 003: Russia–Turkey competition read across theatres).</summary>
public sealed record TheatreSeries(Theatre Theatre, int Events, IReadOnlyList<TimelinePoint> Points);

/// <summary>A dyad's timeline split by theatre: the same periods for every theatre it has counted interactions in.</summary>
public sealed record TheatreTimelines(
    string Dyad, Bucket Bucket, DateOnly AsOf, DateTimeOffset KnownAt, ModelDescriptor Model, string Provenance, IReadOnlyList<TheatreSeries> Theatres);

public static class TheatreEndpoints
{
    /// <summary>
    /// The dyad's timeline per theatre (parameters as the timeline's), theatres with the most counted interactions
    /// first; a theatre with none is left out.
    /// </summary>
    [WolverineGet("/api/dyads/{dyad}/theatres", OperationId = "getTheatres")]
    [Authorize(Policy = LedgerPolicies.ReadProjections)]
    public static async Task<TheatreTimelines> Theatres(
        string dyad, string? from, string? to, string? bucket, string? asOf, string? knownAt, string? model, string? provenance,
        LedgerProjections projections, ModelCatalog models, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var scoring = models.Get(QueryParameters.Model(model, models));
        var kind = QueryParameters.Bucket(bucket);
        await projections.CatchUpAsync(cancellationToken);
        var score = await projections.ScoreAsync(pair, query, scoring.Key, cancellationToken);
        var (start, end) = await ScoreEndpoints.RangeAsync(from, to, query, () => Task.FromResult(score));
        var series = score.Contributions
            .GroupBy(c => c.Theatre)
            .Select(g => (Theatre: g.Key, Timeline: Scorer.Timeline(pair, start, end, kind, query, scoring, g)))
            .Select(t => new TheatreSeries(t.Theatre, t.Timeline.Points.Sum(p => p.Events), t.Timeline.Points))
            .Where(t => t.Events > 0)
            .OrderByDescending(t => t.Events)
            .ThenBy(t => t.Theatre)
            .ToList();
        return new TheatreTimelines(score.Dyad, kind, score.AsOf, score.KnownAt, score.Model, score.Provenance, series);
    }
}
