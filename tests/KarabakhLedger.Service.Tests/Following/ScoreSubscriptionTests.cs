using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;

namespace KarabakhLedger.Service.Tests.Following;

/// <summary>Score subscriptions over SSE: ids are global positions, and Last-Event-ID resumes with no gap and no repeat.</summary>
public abstract class ScoreSubscriptionTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : NodeFixture
{
    private const string Url = "/api/subscriptions/scores?dyad=ARM-AZE&dyad=AZE-TUR";
    private static readonly string[] FollowedDyads = ["ARM-AZE", "AZE-TUR"];
    private readonly HttpClient _analyst = fixture.Node.As(LedgerRoles.Analyst);
    private readonly HttpClient _auditor = fixture.Node.As(LedgerRoles.Auditor);
    private readonly HttpClient _service = fixture.Node.As(LedgerRoles.Service);

    [Fact(Timeout = 90_000)]
    public async Task A_subscriber_that_drops_during_a_burst_resumes_with_Last_Event_ID_and_gets_every_change_once_in_order()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var burst = Task.Run(() => AppendBurstAsync(90, timeout.Token));

        var received = new List<SseMessage>();
        using (var firstConnection = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token))
        {
            await foreach (var message in SseClient.ReadAsync(_service, Url, null, firstConnection.Token))
            {
                received.Add(message);
                if (received.Count == 12)
                {
                    break;
                }
            }
        }

        Assert.False(burst.IsCompleted, "the subscriber should drop while appends are still going on");
        await burst;
        var expected = await PositionsAsync(["ARM-AZE", "AZE-TUR"]);
        await foreach (var message in SseClient.ReadAsync(_service, Url, received[^1].Id, timeout.Token))
        {
            received.Add(message);
            if (message.Id == expected[^1])
            {
                break;
            }
        }

        Assert.Equal(expected, received.Select(m => m.Id));
        Assert.All(received, m => Assert.Equal("relationship-score-changed", m.Event));
        Assert.All(received, m => Assert.Contains(JsonDocument.Parse(m.Data).RootElement.GetProperty("dyad").GetString(), FollowedDyads));
        var replay = new List<SseMessage>();
        await foreach (var message in SseClient.ReadAsync(_service, Url, 0, timeout.Token))
        {
            replay.Add(message);
            if (message.Id == expected[^1])
            {
                break;
            }
        }

        Assert.Equal(received, replay);
    }

    [Fact(Timeout = 60_000)]
    public async Task Each_message_is_the_dyads_score_with_only_its_events_up_to_that_position()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var first = await RecordAsync(Bodies.Interaction("SAU", "USA", cameoCode: "036", occurredOn: "2020-01-01"), timeout.Token);
        var second = await RecordAsync(Bodies.Interaction("SAU", "USA", cameoCode: "036", occurredOn: "2020-01-02"), timeout.Token);

        var messages = new List<JsonElement>();
        await foreach (var message in SseClient.ReadAsync(_service, "/api/subscriptions/scores?dyad=USA-SAU", first - 1, timeout.Token))
        {
            messages.Add(JsonDocument.Parse(message.Data).RootElement);
            if (message.Id == second)
            {
                break;
            }
        }

        Assert.Equal([first, second], messages.Select(m => m.GetProperty("position").GetInt64()));
        Assert.Equal([1, 2], messages.Select(m => m.GetProperty("events").GetInt32()));
        Assert.Equal([4m, 8m], messages.Select(m => m.GetProperty("net").GetDecimal()));
        Assert.All(messages, m => Assert.Equal("goldstein-gdelt@1", m.GetProperty("model").GetString()));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_companys_event_reaches_the_country_dyads_subscribers_as_a_rolled_up_change_with_its_own_id()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var position = await RecordAsync(Bodies.Interaction("BAYKAR", "UKR", cameoCode: "036", occurredOn: "2021-07"), timeout.Token);
        const string both = "/api/subscriptions/scores?dyad=BAYKAR-UKR&dyad=TUR-UKR";

        var messages = new List<SseMessage>();
        await foreach (var message in SseClient.ReadAsync(_service, both, position - 1, timeout.Token))
        {
            messages.Add(message);
            if (message.RawId == $"{position}:1")
            {
                break;
            }
        }

        var atSale = messages.Where(m => m.Id == position).ToArray();
        Assert.Equal([$"{position}", $"{position}:1"], atSale.Select(m => m.RawId));
        var own = JsonDocument.Parse(atSale[0].Data).RootElement;
        var rolled = JsonDocument.Parse(atSale[1].Data).RootElement;
        Assert.Equal(("BAYKAR-UKR", "recorded"), (own.GetProperty("dyad").GetString(), own.GetProperty("kind").GetString()));
        Assert.Equal(("TUR-UKR", "rolled-up", "BAYKAR-UKR"), (rolled.GetProperty("dyad").GetString(), rolled.GetProperty("kind").GetString(), rolled.GetProperty("recordedDyad").GetString()));
        Assert.Equal(rolled.GetProperty("before").GetProperty("events").GetInt32() + 1, rolled.GetProperty("events").GetInt32());
        Assert.Contains(rolled.GetProperty("buckets").EnumerateArray(), b => b.GetProperty("label").GetString() == "2021");
        Assert.Equal(2, rolled.GetProperty("version").GetInt32());

        await foreach (var message in SseClient.ReadAfterAsync(_service, both, $"{position}", timeout.Token))
        {
            Assert.Equal($"{position}:1", message.RawId);
            Assert.Equal(atSale[1].Data, message.Data);
            break;
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/api/subscriptions/scores?dyad=ARM-XXX", "dyad")]
    [InlineData("/api/subscriptions/scores?lastEventId=-1", "lastEventId")]
    [InlineData("/api/subscriptions/scores?model=none", "model")]
    [InlineData("/api/subscriptions/scores?model=goldstein-icews@1", "model")]
    [InlineData("/api/subscriptions/scores?lastEventId=12:x", "lastEventId")]
    public async Task A_bad_subscription_answers_400_naming_the_parameter(string url, string parameter)
    {
        var answer = await _service.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True((await answer.ReadJsonAsync()).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    private async Task AppendBurstAsync(int count, CancellationToken cancellationToken)
    {
        string[][] pairs = [["ARM", "AZE"], ["AZE", "TUR"], ["GEO", "ARM"]];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 3, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var pair = pairs[i % pairs.Length];
            await RecordAsync(Bodies.Interaction(pair[0], pair[1], occurredOn: $"20{10 + (i % 12)}-05"), ct);
        });
    }

    private async Task<long> RecordAsync(string body, CancellationToken cancellationToken)
    {
        var answer = await _analyst.PostAsync("/api/interactions", Bodies.Json(body), cancellationToken);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return (await answer.ReadJsonAsync()).GetProperty("events")[0].GetProperty("position").GetInt64();
    }

    private async Task<long[]> PositionsAsync(string[] dyads)
    {
        var positions = new List<long>();
        foreach (var dyad in dyads)
        {
            var page = await _auditor.GetFromJsonAsync<JsonElement>($"/api/events?dyad={dyad}&limit=1000");
            positions.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("position").GetInt64()));
        }

        return [.. positions.Order()];
    }
}

public sealed class SqliteScoreSubscriptionTests(SqliteNodeFixture fixture) : ScoreSubscriptionTests<SqliteNodeFixture>(fixture);

public sealed class PostgresScoreSubscriptionTests(PostgresNodeFixture fixture) : ScoreSubscriptionTests<PostgresNodeFixture>(fixture);
