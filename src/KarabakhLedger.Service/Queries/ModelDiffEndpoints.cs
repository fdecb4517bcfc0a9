using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Queries;

/// <summary>One period under two models: each model's point and the difference of their nets (<c>against</c> minus <c>model</c>).</summary>
public sealed record ModelDiffPoint(string Label, DateOnly Start, DateOnly End, TimelinePoint Model, TimelinePoint Against, decimal NetDifference);

/// <summary>The same dyad, history and bitemporal point under two scoring models, period by period.</summary>
public sealed record ModelDiff(
    string Dyad, Bucket Bucket, DateOnly AsOf, DateTimeOffset KnownAt, ModelDescriptor Model, ModelDescriptor Against, string Provenance,
    IReadOnlyList<ModelDiffPoint> Points);

public static class ModelDiffEndpoints
{
    /// <summary>
    /// What-if: the dyad's timeline under <c>model</c> (default <c>goldstein-gdelt@1</c>) and under <c>against</c>
    /// (required), computed on demand from the same counted interactions, with the per-period difference of the nets.
    /// </summary>
    [WolverineGet("/api/dyads/{dyad}/diff", OperationId = "getModelDiff")]
    [Authorize(Policy = LedgerPolicies.ReadProjections)]
    public static async Task<ModelDiff> Diff(
        string dyad, string? against, string? from, string? to, string? bucket, string? asOf, string? knownAt, string? model, string? provenance,
        LedgerProjections projections, ModelCatalog models, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var first = QueryParameters.Model(model, models);
        var second = against is null
            ? throw new Domain.Validation.LedgerValidationException("against", "is required: the model to compare with, e.g. goldstein-icews@1")
            : QueryParameters.Model(against, models);
        var kind = QueryParameters.Bucket(bucket);
        await projections.CatchUpAsync(cancellationToken);
        var (start, end) = await ScoreEndpoints.RangeAsync(from, to, query, () => projections.ScoreAsync(pair, query, first, cancellationToken));
        var a = await projections.TimelineAsync(pair, start, end, kind, query, first, cancellationToken);
        var b = await projections.TimelineAsync(pair, start, end, kind, query, second, cancellationToken);
        var points = a.Points.Zip(b.Points, (x, y) => new ModelDiffPoint(x.Label, x.Start, x.End, x, y, y.Net - x.Net)).ToList();
        return new ModelDiff(a.Dyad, kind, a.AsOf, a.KnownAt, a.Model, b.Model, a.Provenance, points);
    }
}
