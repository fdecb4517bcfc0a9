using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Reports;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Browsing;

/// <summary>
/// One dyad at a glance, after corrections and retractions: its interactions, their date span (as recorded, to the
/// precision the sources give) and their count per CAMEO QuadClass; cooperation counts QuadClass 1–2, conflict 3–4.
/// </summary>
public sealed record DyadView(
    string Dyad, string A, string B, int Interactions, string? First, string? Last, int Cooperation, int Conflict,
    IReadOnlyDictionary<QuadClass, int> ByQuadClass)
{
    public static DyadView From(DyadSummary s) => new(
        s.Dyad.Key, s.Dyad.A, s.Dyad.B, s.Interactions, s.First?.ToString(), s.Last?.ToString(), s.Cooperation, s.Conflict, s.ByQuadClass);
}

/// <summary>The dyads the ledger holds.</summary>
public static class DyadEndpoints
{
    /// <summary>
    /// Every dyad with at least one event, ordered by key (what <c>ledger demo</c> reports per dyad). The web UI asks on
    /// every page open, so the service keeps the summaries (<see cref="DyadSummaries"/>) and reads only new events.
    /// </summary>
    [WolverineGet("/api/dyads", OperationId = "listDyads")]
    [Authorize(Policy = LedgerPolicies.ReadProjections)]
    public static async Task<IReadOnlyList<DyadView>> List(DyadSummaries summaries, CancellationToken cancellationToken) =>
        (await summaries.CurrentAsync(cancellationToken)).Select(DyadView.From).ToArray();
}
