using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Browsing;

/// <summary>The actors the ledger accepts, as <c>ledger actors</c> lists them (<see cref="ActorListings"/>).</summary>
public static class ActorEndpoints
{
    /// <summary>
    /// Every listed actor, or those <c>search</c> finds by code or name, of <c>kind</c> when given; at most
    /// <c>limit</c> (default 1,000). For type-ahead: <c>?search=turk&amp;limit=10</c>.
    /// </summary>
    [WolverineGet("/api/actors", OperationId = "listActors")]
    [Authorize(Policy = LedgerPolicies.ReadActors)]
    public static IReadOnlyList<ActorListing> List(ActorRegistry registry, string? search, string? kind, string? limit) =>
        ActorListings.Find(registry, search, kind, (int)(QueryParameters.Number(limit, "limit", 1, 1_000) ?? 1_000));
}
