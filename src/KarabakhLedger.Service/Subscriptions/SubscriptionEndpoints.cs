using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Queries;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace KarabakhLedger.Service.Subscriptions;

/// <summary>Subscriptions to projection changes over Server-Sent Events.</summary>
public static class SubscriptionEndpoints
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>
    /// Score changes of the dyads named by <c>dyad</c> (repeat it, or separate keys by commas; none means all) under
    /// <c>model</c> (default <c>goldstein-gdelt@1</c>), as <c>text/event-stream</c>. Every message's id is the global
    /// position of the event that caused it. A client that reconnects with the <c>Last-Event-ID</c> header (or
    /// <c>lastEventId</c> in the query) gets every later change once, in order; without it, it starts at the
    /// ledger's first event.
    /// </summary>
    [WolverineGet("/api/subscriptions/scores", OperationId = "subscribeToScores")]
    [Authorize(Policy = LedgerPolicies.Subscribe)]
    public static IResult Scores(
        HttpRequest request, ILedgerStore store, EventSerializer serializer, ModelCatalog models, LedgerAppendSignal appended,
        TimeProvider clock, IOptions<LedgerServiceOptions> options)
    {
        var dyads = request.Query["dyad"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(key => QueryParameters.Dyad(key).Key)
            .ToHashSet(StringComparer.Ordinal);
        var model = models.Get(QueryParameters.Model(request.Query["model"].FirstOrDefault(), models));
        var header = request.Headers[LastEventIdHeader].FirstOrDefault();
        var query = request.Query["lastEventId"].FirstOrDefault();
        if (header is not null && query is not null && header != query)
        {
            throw new LedgerValidationException("lastEventId", $"differs from the {LastEventIdHeader} header; send one of them");
        }

        var after = QueryParameters.Number(header ?? query, header is null ? "lastEventId" : LastEventIdHeader, 0, long.MaxValue) ?? 0;
        var reader = new ScoreChangeReader(store, serializer, model, dyads.Count == 0 ? null : dyads, after);
        return new ScoreChangesStream(reader, appended, clock, options.Value.SubscriptionPollInterval, options.Value.SubscriptionHeartbeat);
    }
}
