using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Hosting;

/// <summary>Whether the node is up; anonymous, for load balancers and deploy scripts.</summary>
public sealed record Health(string Status, string Silo);

/// <summary><c>GET /health</c>: 200 once the node serves requests.</summary>
public static class HealthEndpoint
{
    [WolverineGet("/health", OperationId = "health")]
    [AllowAnonymous]
    public static Health Get(Orleans.Runtime.ILocalSiloDetails silo) => new("ok", silo.Name);
}
