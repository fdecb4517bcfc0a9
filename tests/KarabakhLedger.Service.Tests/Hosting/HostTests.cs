using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using KarabakhLedger.Service.Publishing;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Hosting;

/// <summary>Collects the <see cref="RelationshipScoreChanged"/> messages Wolverine delivers in the test process.</summary>
public static class ScoreChangedRecorderHandler
{
    public static Channel<RelationshipScoreChanged> Received { get; } = Channel.CreateUnbounded<RelationshipScoreChanged>();

    public static void Handle(RelationshipScoreChanged message) => Received.Writer.TryWrite(message);
}

public sealed class HostTests
{
    [Fact(Timeout = 120_000)]
    public async Task A_node_on_a_fresh_SQLite_ledger_serves_health_and_its_OpenAPI_document()
    {
        var dir = TestFolders.Create("ledger-service-");
        await using var node = await ServiceNode.StartAsync(Path.Combine(dir.FullName, "ledger.db"));
        var anonymous = node.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/interactions", paths);
        Assert.Contains("/api/dyads/{dyad}/score", paths);
        Assert.Contains("/api/subscriptions/scores", paths);
        Assert.Equal("127.0.0.1", node.Address.Host);
    }

    [Fact(Timeout = 120_000)]
    public async Task Score_changes_are_published_as_Wolverine_messages_to_handlers_in_the_process()
    {
        var dir = TestFolders.Create("ledger-service-");
        await using var node = await ServiceNode.StartAsync(
            Path.Combine(dir.FullName, "ledger.db"), wolverine: opts => opts.Discovery.IncludeType(typeof(ScoreChangedRecorderHandler)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.Services.GetServices<IHostedService>().OfType<ScoreChangeOutbox>().Single().Started.WaitAsync(timeout.Token);

        var answer = await node.As(LedgerRoles.Analyst).PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("DEU", "TUR")), timeout.Token);
        var position = (await answer.ReadJsonAsync()).GetProperty("events")[0].GetProperty("position").GetInt64();

        RelationshipScoreChanged message;
        do
        {
            message = await ScoreChangedRecorderHandler.Received.Reader.ReadAsync(timeout.Token);
        }
        while (message.Position != position);

        Assert.Equal("DEU-TUR", message.Dyad);
        Assert.Equal(1, message.Events);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unexpected_failure_is_a_500_problem_without_internals()
    {
        var dir = TestFolders.Create("ledger-service-");
        await using var node = await ServiceNode.StartAsync(
            Path.Combine(dir.FullName, "ledger.db"),
            map: app => app.MapGet("/test/fail", string () => throw new InvalidOperationException($"secret at {dir.FullName}")).AllowAnonymous());

        var answer = await node.Anonymous().GetAsync("/test/fail");

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.FullName, text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Stopping_a_node_ends_its_subscriptions_at_once()
    {
        var dir = TestFolders.Create("ledger-service-");
        var node = await ServiceNode.StartAsync(Path.Combine(dir.FullName, "ledger.db"));
        using var subscriber = new HttpClient { BaseAddress = node.Address };
        subscriber.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, TestAuth.ApiKey(LedgerRoles.Service));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stream = await subscriber.GetStreamAsync("/api/subscriptions/scores", timeout.Token);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await node.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopping.Elapsed}");
        using var reader = new StreamReader(stream);
        Assert.StartsWith(": following", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
        Assert.Null(await reader.ReadLineAsync(timeout.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_node_without_a_reachable_store_does_not_start_and_says_why()
    {
        var failure = await Assert.ThrowsAsync<KarabakhLedger.Ledger.Store.LedgerStoreUnavailableException>(
            () => ServiceNode.StartAsync("Host=127.0.0.1;Port=1;Database=ledger;Username=nobody;Timeout=2"));

        Assert.Contains("127.0.0.1", failure.Message, StringComparison.Ordinal);
    }
}
