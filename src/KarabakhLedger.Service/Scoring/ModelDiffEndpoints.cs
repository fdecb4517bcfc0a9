using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Scoring;

public static class ModelDiffEndpoints
{
    /// <summary>
    /// What-if: the dyad's timeline under <c>model</c> (default <c>goldstein-gdelt@1</c>) and under <c>against</c>
    /// (required), computed on demand from the same counted interactions, with the per-period difference of the nets
    /// (<see cref="ModelDiff.Between"/>, as <c>ledger diff</c>).
    /// </summary>
    [WolverineGet("/api/dyads/{dyad}/diff", OperationId = "getModelDiff")]
    [Authorize(Policy = LedgerPolicies.ReadProjections)]
    public static async Task<ModelDiff> Diff(
        string dyad, string? against, string? from, string? to, string? bucket, string? asOf, string? knownAt, string? model, string? provenance,
        LedgerProjections projections, ModelCatalog models, ActorRegistry actors, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad, actors);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var first = QueryParameters.Model(model, models);
        var second = against is null
            ? throw new Domain.Validation.LedgerValidationException("against", "is required: the model to compare with, e.g. goldstein-icews@1")
            : QueryParameters.Model(against, models);
        var kind = QueryParameters.Bucket(bucket);
        await projections.CatchUpAsync(cancellationToken);
        var (start, end) = await ScoreEndpoints.RangeAsync(from, to, query, () => projections.FirstCountedAsync(pair, query, first, cancellationToken));
        var a = await projections.TimelineAsync(pair, start, end, kind, query, first, cancellationToken);
        var b = await projections.TimelineAsync(pair, start, end, kind, query, second, cancellationToken);
        return ModelDiff.Between(a, b);
    }
}
