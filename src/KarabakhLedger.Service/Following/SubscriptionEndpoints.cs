using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace KarabakhLedger.Service.Following;

/// <summary>Subscriptions to projection changes over Server-Sent Events.</summary>
public static class SubscriptionEndpoints
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>
    /// Score changes of the dyads named by <c>dyad</c> (repeat it, or separate keys by commas; none means all), as
    /// <c>text/event-stream</c>, from the live projection's change log, under its model (<c>model</c>, if given, must be
    /// that one). Every message's id is the global position of the event that caused it (<c>P:k</c> for a further change
    /// at that position, such as a country dyad it rolled up into). A client that reconnects with the
    /// <c>Last-Event-ID</c> header (or <c>lastEventId</c> in the query) gets every later change once, in order; without
    /// it, it starts at the ledger's first event.
    /// </summary>
    [WolverineGet("/api/subscriptions/scores", OperationId = "subscribeToScores")]
    [Authorize(Policy = LedgerPolicies.Subscribe)]
    public static async Task<IResult> Scores(
        HttpRequest request, ChangeLog changeLog, IGrainFactory grains, ModelCatalog models, ActorRegistry actors, TimeProvider clock, IOptions<LedgerServiceOptions> options)
    {
        var dyads = request.Query["dyad"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(key => QueryParameters.Dyad(key, actors).Key)
            .ToHashSet(StringComparer.Ordinal);
        var model = request.Query["model"].FirstOrDefault() is { } named ? models.Get(QueryParameters.Model(named, models)) : null;
        var header = request.Headers[LastEventIdHeader].FirstOrDefault();
        var query = request.Query["lastEventId"].FirstOrDefault();
        if (header is not null && query is not null && header != query)
        {
            throw new LedgerValidationException("lastEventId", $"differs from the {LastEventIdHeader} header; send one of them");
        }

        var field = header is null ? "lastEventId" : LastEventIdHeader;
        var id = header ?? query;
        var after = id is null ? ChangeCursor.After(0) : ChangeCursor.Parse(id, field);
        var live = (await grains.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry).GetAsync().WaitAsync(request.HttpContext.RequestAborted)).Active;
        if (model is not null && model.Key != live.ModelKey)
        {
            throw new LedgerValidationException(
                "model", $"score changes are kept under the live projection's model {live.ModelKey}; replay the projections under {model.Key} to follow it");
        }

        await ScoreChangeFollower.CheckRetainedAsync(changeLog, grains, after, field, request.HttpContext.RequestAborted);
        var follower = new ScoreChangeFollower(changeLog, grains, dyads.Count == 0 ? null : dyads, after);
        return new ScoreChangesSse(follower, clock, options.Value.SubscriptionPollInterval, options.Value.SubscriptionHeartbeat);
    }
}
