using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Scoring;

public static class TheatreEndpoints
{
    /// <summary>
    /// The dyad's timeline per theatre (parameters as the timeline's; <see cref="TheatreTimelines.From"/>, as
    /// <c>ledger theatres</c>).
    /// </summary>
    [WolverineGet("/api/dyads/{dyad}/theatres", OperationId = "getTheatres")]
    [Authorize(Policy = LedgerPolicies.ReadProjections)]
    public static async Task<TheatreTimelines> Theatres(
        string dyad, string? from, string? to, string? bucket, string? asOf, string? knownAt, string? model, string? provenance,
        LedgerProjections projections, ModelCatalog models, ActorRegistry actors, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad, actors);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var scoring = models.Get(QueryParameters.Model(model, models));
        var kind = QueryParameters.Bucket(bucket);
        await projections.CatchUpAsync(cancellationToken);
        var score = await projections.ScoreAsync(pair, query, scoring.Key, cancellationToken);
        var (start, end) = await ScoreEndpoints.RangeAsync(from, to, query, () => Task.FromResult(TimelineRange.FirstDay(score.Contributions)));
        return TheatreTimelines.From(pair, score, start, end, kind, query, scoring);
    }
}
