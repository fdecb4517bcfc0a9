using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Security;

/// <summary>
/// Who the caller is: its name, its roles and the policies of <see cref="LedgerPolicies"/> it passes. The web UI shows
/// only the controls of those policies; the endpoints refuse the others anyway.
/// </summary>
public sealed record Caller(string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Policies);

/// <summary><c>GET /api/me</c>: the caller as the service sees it.</summary>
public static class CallerEndpoint
{
    [WolverineGet("/api/me", OperationId = "getCaller")]
    [Authorize(Policy = LedgerPolicies.ReadActors)]
    public static Caller Get(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? user.FindFirstValue("sub") ?? "",
        [.. LedgerRoles.All.Where(user.IsInRole)],
        [.. LedgerPolicies.Roles.Where(p => p.Value.Any(user.IsInRole)).Select(p => p.Key).Order(StringComparer.Ordinal)]);
}
