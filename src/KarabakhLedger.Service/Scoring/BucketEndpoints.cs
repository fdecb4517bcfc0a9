using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Service.Browsing;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace KarabakhLedger.Service.Scoring;

/// <summary>One counted interaction of a bucket: its contribution to the derivation and its CAMEO code's label.</summary>
public sealed record BucketEntry(Contribution Contribution, string? CameoLabel);

/// <summary>
/// The interactions a timeline bucket counts, with their totals (the bucket's point on the timeline) and one page of
/// them (<see cref="Offset"/>, at most <c>limit</c>; <see cref="Total"/> in all). <see cref="Digest"/> and
/// <see cref="Score"/> are the whole derivation's at the same point, which these entries are part of.
/// </summary>
public sealed record BucketDerivation(
    string Dyad, DateOnly From, DateOnly To, DateOnly AsOf, DateTimeOffset KnownAt, ModelDescriptor Model, string Provenance,
    int Events, decimal Cooperation, decimal Conflict, decimal Net, decimal Value, decimal Score, string Digest,
    int Offset, int Total, IReadOnlyList<BucketEntry> Entries);

/// <summary>Drill-down from a timeline bucket to the interactions behind it (what the web UI shows when a bucket is clicked).</summary>
public static class BucketEndpoints
{
    /// <summary>
    /// The interactions counted in <c>from</c>..<c>to</c> (a bucket's start and end as the timeline gives them) at the
    /// same bitemporal point, model and provenance as the timeline: each with weight, decay factor and value; the
    /// sums of their weights are the bucket's cooperation, conflict and net. Paged by <c>offset</c> and <c>limit</c>.
    /// </summary>
    [WolverineGet("/api/dyads/{dyad}/bucket", OperationId = "getBucket")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static async Task<BucketDerivation> Bucket(
        string dyad, string? from, string? to, string? asOf, string? knownAt, string? model, string? provenance, string? offset, string? limit,
        LedgerProjections projections, ModelCatalog models, ActorRegistry actors, TimeProvider clock, IOptions<Hosting.LedgerServiceOptions> options, CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad, actors);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var modelKey = QueryParameters.Model(model, models);
        var start = (QueryParameters.Date(from, "from") ?? throw new Domain.Validation.LedgerValidationException("from", "is required: the bucket's first day")).Start;
        var end = (QueryParameters.Date(to, "to") ?? throw new Domain.Validation.LedgerValidationException("to", "is required: the bucket's last day")).End;
        if (start > end)
        {
            throw new Domain.Validation.LedgerValidationException("from", "must not be after 'to'");
        }

        var skip = (int)(QueryParameters.Number(offset, "offset", 0, int.MaxValue) ?? 0);
        var size = (int)(QueryParameters.Number(limit, "limit", 1, options.Value.MaxPageSize) ?? EventEndpoints.DefaultPageSize);
        await projections.CatchUpAsync(cancellationToken);
        var score = await projections.ScoreAsync(pair, query, modelKey, cancellationToken);
        var inside = Scorer.Within(score.Contributions, start, end).ToList();
        var page = inside.Skip(skip).Take(size)
            .Select(c => new BucketEntry(c, CameoCatalog.Default.TryGet(c.CameoCode, out var entry) ? entry.Label : null))
            .ToList();
        return new BucketDerivation(
            score.Dyad, start, end, score.AsOf, score.KnownAt, score.Model, score.Provenance,
            inside.Count, inside.Where(c => c.Weight > 0).Sum(c => c.Weight), inside.Where(c => c.Weight < 0).Sum(c => c.Weight), inside.Sum(c => c.Weight),
            inside.Sum(c => c.Value), score.Score, score.Digest, skip, inside.Count, page);
    }
}
