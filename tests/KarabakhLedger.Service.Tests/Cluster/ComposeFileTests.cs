using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Tests.Support;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace KarabakhLedger.Service.Tests.Cluster;

/// <summary>
/// docker-compose.yml cannot be run here (no Docker engine), so its wiring is checked against itself: both nodes
/// reach its PostgreSQL with the credentials it sets, share its Redis, advertise the addresses the network gives
/// them, and are both behind the gateway. <see cref="TwoNodeClusterTests"/> runs the nodes' own options.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] Nodes = ["node1", "node2"];
    private readonly ComposeFile _compose = ComposeFile.Load();

    private string Option(string node, string name) => _compose.ServeOptions(node).Single(o => o.Option == name).Value;

    private static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map[key]).Value ?? "";

    [Fact]
    public void Both_nodes_use_the_composed_PostgreSQL_with_its_database_and_credentials()
    {
        var postgres = (YamlMappingNode)_compose.Service("postgres")["environment"];

        foreach (var node in Nodes)
        {
            var store = new NpgsqlConnectionStringBuilder(Option(node, "--store"));
            Assert.Equal("postgres", store.Host);
            Assert.Equal(Scalar(postgres, "POSTGRES_DB"), store.Database);
            Assert.Equal(Scalar(postgres, "POSTGRES_USER"), store.Username);
            Assert.Equal(Scalar(postgres, "POSTGRES_PASSWORD"), store.Password);
        }
    }

    [Fact]
    public void Both_nodes_join_one_cluster_through_the_composed_Redis_at_the_addresses_their_network_gives_them()
    {
        var subnet = System.Net.IPNetwork.Parse(Scalar(
            (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)_compose.Section("networks")["ledger"])["ipam"])["config"])[0],
            "subnet"));

        Assert.Equal(["redis:6379"], Nodes.Select(n => Option(n, "--cluster-redis")).Distinct());
        Assert.Contains("redis", ((YamlMappingNode)_compose.Section("services")).Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        foreach (var node in Nodes)
        {
            var address = Scalar((YamlMappingNode)((YamlMappingNode)_compose.Service(node)["networks"])["ledger"], "ipv4_address");
            Assert.Equal(address, Option(node, "--advertise"));
            Assert.True(subnet.Contains(System.Net.IPAddress.Parse(address)), $"{node}: {address} is outside {subnet}");
        }

        Assert.Equal(2, Nodes.Select(n => Option(n, "--advertise")).Distinct().Count());
    }

    [Fact]
    public void The_gateway_sends_requests_to_both_nodes_on_the_port_they_listen_on()
    {
        var gateway = string.Join('\n', _compose.Command("gateway"));

        foreach (var node in Nodes)
        {
            var port = new Uri(Option(node, "--urls")).Port;
            Assert.Contains($"server {node}:{port}", gateway, StringComparison.Ordinal);
        }

        Assert.Contains($"client_max_body_size {new LedgerServiceOptions().MaxBodyBytes / 1024}k", gateway, StringComparison.Ordinal);
    }
}
