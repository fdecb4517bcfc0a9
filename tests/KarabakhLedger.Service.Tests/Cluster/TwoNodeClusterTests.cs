using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using KarabakhLedger.Testing;
using Npgsql;

namespace KarabakhLedger.Service.Tests.Cluster;

/// <summary>
/// Two <c>ledger serve</c> processes on one PostgreSQL ledger, clustered through a throwaway Redis
/// (docs/adr/0007-service-clustering.md), each run with the options of a node of docker-compose.yml (only the
/// containers' addresses replaced by local ones): both answer with the same score, and the survivor keeps answering
/// after the other is killed. Fails, saying what to install, where no redis-server is installed (deploy/test.sh
/// installs Debian's).
/// </summary>
public sealed class TwoNodeClusterTests
{
    private const string Score = "/api/dyads/NKR-AZE/score?asOf=2023-12-31&knownAt=2100-01-01";

    [Fact(Timeout = 240_000)]
    public async Task A_dyads_score_is_the_same_through_either_node_and_survives_the_kill_of_one()
    {
        Assert.True(RedisServer.Available, $"No redis-server: install Debian's redis-server (deploy/test.sh does) or set {RedisServer.EnvironmentVariable}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(200));
        var postgres = await PostgresServer.GetAsync();
        var schema = $"t_{Guid.NewGuid():N}";
        await using var redis = await RedisServer.StartAsync(timeout.Token);
        var store = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SearchPath = schema }.ConnectionString;
        var compose = ComposeFile.Load();
        string[] Arguments(string node) =>
        [
            .. compose.LocalServeArguments(node, store, redis.Configuration),
            "--Ledger:Cluster:ProbeTimeout=00:00:01", "--Ledger:ProjectionPollInterval=00:00:00.250",
        ];
        try
        {
            await using var first = await ServeProcess.StartAsync(Arguments("node1"), timeout.Token);
            await using var second = await ServeProcess.StartAsync(Arguments("node2"), timeout.Token);
            var viaFirst = first.As(LedgerRoles.Admin);
            var viaSecond = second.As(LedgerRoles.Admin);

            await RecordAsync(viaFirst, Bodies.Interaction("AZE", "NKR", cameoCode: "190", occurredOn: "2023-09-19"), timeout.Token);
            await RecordAsync(viaSecond, Bodies.Interaction("AZE", "NKR", cameoCode: "057", occurredOn: "2023-09-20"), timeout.Token);
            var scoreViaFirst = await viaFirst.GetFromJsonAsync<JsonElement>(Score, timeout.Token);
            var scoreViaSecond = await viaSecond.GetFromJsonAsync<JsonElement>(Score, timeout.Token);

            Assert.Equal(2, await ActiveSilosAsync(viaFirst, timeout.Token));
            Assert.Equal(2, await ActiveSilosAsync(viaSecond, timeout.Token));
            Assert.Equal(2, scoreViaFirst.GetProperty("events").GetInt32());
            Assert.Equal(scoreViaFirst.ToString(), scoreViaSecond.ToString());

            first.Kill();
            var afterKill = await EventuallyAsync(() => viaSecond.GetFromJsonAsync<JsonElement>(Score, timeout.Token), timeout.Token);
            Assert.Equal(scoreViaFirst.ToString(), afterKill.ToString());
            Assert.Equal(1, await ActiveSilosAsync(viaSecond, timeout.Token));

            await RecordAsync(viaSecond, Bodies.Interaction("AZE", "NKR", cameoCode: "036", occurredOn: "2023-09-21"), timeout.Token);
            var updated = await viaSecond.GetFromJsonAsync<JsonElement>(Score, timeout.Token);
            Assert.Equal(3, updated.GetProperty("events").GetInt32());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresNodeFixture.DropSchemasAsync(postgres.ConnectionString, schema);
        }
    }

    private static async Task RecordAsync(HttpClient client, string body, CancellationToken cancellationToken)
    {
        var answer = await client.PostAsync("/api/interactions", Bodies.Json(body), cancellationToken);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
    }

    private static async Task<int> ActiveSilosAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var cluster = await client.GetFromJsonAsync<JsonElement>("/api/cluster", cancellationToken);
        return cluster.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "active");
    }

    /// <summary>Retries while the cluster notices the death and moves the grains (a few seconds).</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}
