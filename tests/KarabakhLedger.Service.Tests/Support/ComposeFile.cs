using YamlDotNet.RepresentationModel;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>The repository's docker-compose.yml, read as YAML, for tests that hold it to what the service accepts.</summary>
public sealed class ComposeFile(YamlMappingNode root)
{
    public static ComposeFile Load()
    {
        using var reader = new StreamReader(Path.Combine(RepoPaths.Root(), "docker-compose.yml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return new ComposeFile((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)root["services"])[name];

    public YamlMappingNode Section(string name) => (YamlMappingNode)root[name];

    /// <summary>A service's <c>command</c> as a list of arguments.</summary>
    public IReadOnlyList<string> Command(string service) =>
        ((YamlSequenceNode)Service(service)["command"]).Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray();

    /// <summary>The options after <c>serve</c> in a node's command, as (option, value) pairs.</summary>
    public IReadOnlyList<(string Option, string Value)> ServeOptions(string node)
    {
        var command = Command(node);
        Assert.Equal(["dotnet", "/app/ledger.dll", "serve"], command.Take(3));
        var options = command.Skip(3).ToArray();
        Assert.True(options.Length % 2 == 0 && options.Where((_, i) => i % 2 == 0).All(o => o.StartsWith("--", StringComparison.Ordinal)), $"{node}: options come in --name value pairs");
        return Enumerable.Range(0, options.Length / 2).Select(i => (options[2 * i], options[(2 * i) + 1])).ToArray();
    }

    /// <summary>
    /// A node's <c>serve</c> options as they would run on this machine: the store, the Redis and the addresses the
    /// containers' network gives are replaced by local ones; every other option is passed on as written.
    /// </summary>
    public IEnumerable<string> LocalServeArguments(string node, string store, string redis)
    {
        foreach (var (option, value) in ServeOptions(node))
        {
            switch (option)
            {
                case "--urls":
                    continue;
                case "--store":
                    yield return option;
                    yield return store;
                    break;
                case "--cluster-redis":
                    yield return option;
                    yield return redis;
                    break;
                case "--advertise":
                    yield return option;
                    yield return "127.0.0.1";
                    break;
                case "--silo-port" or "--gateway-port":
                    yield return option;
                    yield return FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    yield return option;
                    yield return value;
                    break;
            }
        }
    }
}
