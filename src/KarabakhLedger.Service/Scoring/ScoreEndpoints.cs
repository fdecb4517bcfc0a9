using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace KarabakhLedger.Service.Scoring;

/// <summary>A dyad's score without its contributions (those are the derivation): docs/scoring.md says what each number is.</summary>
public sealed record ScoreView(
    string Dyad, DateOnly AsOf, DateTimeOffset KnownAt, ModelDescriptor Model, decimal Score, decimal Cooperation, decimal Conflict,
    decimal Net, int Events, IReadOnlyDictionary<QuadClass, int> ByQuadClass, IReadOnlyDictionary<string, Breakdown> ByDirection,
    IReadOnlyDictionary<Theatre, Breakdown> ByTheatre, string Digest, string Provenance)
{
    public static ScoreView From(ScoreResult r) => new(
        r.Dyad, r.AsOf, r.KnownAt, r.Model, r.Score, r.Cooperation, r.Conflict, r.Net, r.Events, r.ByQuadClass, r.ByDirection, r.ByTheatre, r.Digest, r.Provenance);
}

/// <summary>
/// Scores, timelines and derivations, answered by the Orleans dyad grains of the live projection. Each first waits
/// until the projection has caught up with every event committed before the request, so an answer includes the
/// caller's own earlier appends. Parameters mean what docs/scoring.md says: <c>asOf</c> (valid time, a day, default
/// today UTC), <c>knownAt</c> (transaction time, an instant, default now), <c>model</c> (default
/// <c>goldstein-gdelt@1</c>), <c>provenance</c> (curated, gdelt1, gdelt2, icews, comma-separated, or all;
/// default curated).
/// </summary>
public static class ScoreEndpoints
{
    /// <summary>The dyad's score at a bitemporal point under a model (its figures; the contributions are the derivation's).</summary>
    [WolverineGet("/api/dyads/{dyad}/score", OperationId = "getScore")]
    [Authorize(Policy = LedgerPolicies.ReadProjections)]
    public static async Task<ScoreView> Score(
        string dyad, string? asOf, string? knownAt, string? model, string? provenance,
        LedgerProjections projections, ModelCatalog models, ActorRegistry actors, TimeProvider clock, CancellationToken cancellationToken) =>
        ScoreView.From(await FiguresAsync(dyad, asOf, knownAt, model, provenance, projections, models, actors, clock, cancellationToken));

    /// <summary>
    /// The score with its contributions: each counted interaction's weight, age, decay factor and value, the hashes
    /// of the stored events it rests on, and the digest over all of them (docs/scoring.md, "The digest"). Paged by
    /// <c>offset</c> and <c>limit</c> (default and at most <c>Ledger:MaxPageSize</c>); <c>page</c> says which window
    /// of the contributions and of what dedup set aside the answer holds, and how many there are in all.
    /// </summary>
    [WolverineGet("/api/dyads/{dyad}/derivation", OperationId = "getDerivation")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static async Task<ScoreResult> Derivation(
        string dyad, string? asOf, string? knownAt, string? model, string? provenance, string? offset, string? limit,
        LedgerProjections projections, ModelCatalog models, ActorRegistry actors, TimeProvider clock, IOptions<LedgerServiceOptions> options,
        CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad, actors);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var modelKey = QueryParameters.Model(model, models);
        var skip = (int)(QueryParameters.Number(offset, "offset", 0, int.MaxValue) ?? 0);
        var size = (int)(QueryParameters.Number(limit, "limit", 1, options.Value.MaxPageSize) ?? options.Value.MaxPageSize);
        await projections.CatchUpAsync(cancellationToken);
        return await projections.DerivationAsync(pair, query, skip, size, modelKey, cancellationToken);
    }

    /// <summary>
    /// Cooperation against conflict (undecayed weights) per <c>bucket</c> (month, quarter or year; default year) from
    /// <c>from</c> (default: the first counted interaction's date) to <c>to</c> (default: <c>asOf</c>).
    /// </summary>
    [WolverineGet("/api/dyads/{dyad}/timeline", OperationId = "getTimeline")]
    [Authorize(Policy = LedgerPolicies.ReadProjections)]
    public static async Task<TimelineResult> Timeline(
        string dyad, string? from, string? to, string? bucket, string? asOf, string? knownAt, string? model, string? provenance,
        LedgerProjections projections, ModelCatalog models, ActorRegistry actors, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad, actors);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var modelKey = QueryParameters.Model(model, models);
        var kind = QueryParameters.Bucket(bucket);
        await projections.CatchUpAsync(cancellationToken);
        var (start, end) = await RangeAsync(from, to, query, () => projections.FirstCountedAsync(pair, query, modelKey, cancellationToken));
        return await projections.TimelineAsync(pair, start, end, kind, query, modelKey, cancellationToken);
    }

    /// <summary>A timeline's period from the query string: <see cref="TimelineRange.ResolveAsync"/>.</summary>
    internal static Task<(DateOnly Start, DateOnly End)> RangeAsync(string? from, string? to, ScoreQuery query, Func<Task<DateOnly?>> firstDay) =>
        TimelineRange.ResolveAsync(QueryParameters.Date(from, "from"), QueryParameters.Date(to, "to"), query, firstDay);

    private static async Task<ScoreResult> FiguresAsync(
        string dyad, string? asOf, string? knownAt, string? model, string? provenance,
        LedgerProjections projections, ModelCatalog models, ActorRegistry actors, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pair = QueryParameters.Dyad(dyad, actors);
        var query = QueryParameters.Query(asOf, knownAt, clock, provenance);
        var modelKey = QueryParameters.Model(model, models);
        await projections.CatchUpAsync(cancellationToken);
        return await projections.FiguresAsync(pair, query, modelKey, cancellationToken);
    }
}
