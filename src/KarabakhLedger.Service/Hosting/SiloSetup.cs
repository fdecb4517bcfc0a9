using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Microsoft.Extensions.Hosting;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// The node's Orleans silo: a cluster of one on localhost, or a member of the cluster that Redis keeps the membership
/// table of (docs/adr/0007-service-clustering.md). Ports left at 0 are picked free.
/// </summary>
internal static class SiloSetup
{
    public static void Configure(ISiloBuilder silo, ClusterSettings cluster)
    {
        var siloPort = cluster.SiloPort == 0 ? FreePort() : cluster.SiloPort;
        var gatewayPort = cluster.GatewayPort == 0 ? FreePort() : cluster.GatewayPort;
        if (string.IsNullOrWhiteSpace(cluster.Redis))
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            return;
        }

        silo.UseRedisClustering(cluster.Redis);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), siloPort, gatewayPort, listenOnAnyHostAddress: true);
        silo.Configure<ClusterMembershipOptions>(o => o.ProbeTimeout = cluster.ProbeTimeout);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
