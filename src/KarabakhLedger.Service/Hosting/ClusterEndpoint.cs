using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Orleans.Runtime;
using Wolverine.Http;

namespace KarabakhLedger.Service.Hosting;

/// <summary>One silo the cluster's membership knows, and its status (active, dead, …).</summary>
public sealed record SiloView(string Address, string Name, string Status);

/// <summary>The cluster as this node's silo sees it: which node answered, and every member.</summary>
public sealed record ClusterView(string Silo, IReadOnlyList<SiloView> Silos);

/// <summary><c>GET /api/cluster</c>: the membership of the Orleans cluster, for operators and auditors.</summary>
public static class ClusterEndpoint
{
    [WolverineGet("/api/cluster", OperationId = "getCluster")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static async Task<ClusterView> Get(IGrainFactory grains, ILocalSiloDetails local)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        return new ClusterView(
            local.Name,
            hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal)
                .Select(h => new SiloView(h.SiloAddress.ToParsableString(), h.SiloName, h.Status.ToString().ToLowerInvariant()))
                .ToArray());
    }
}
