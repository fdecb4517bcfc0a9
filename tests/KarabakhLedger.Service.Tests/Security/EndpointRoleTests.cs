using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;

namespace KarabakhLedger.Service.Tests.Security;

/// <summary>
/// Every endpoint against every role, from one table: no credentials 401, a role the endpoint's policy does not
/// admit 403, one it admits 2xx. The table must list every operation of the OpenAPI document.
/// </summary>
public sealed class EndpointRoleTests(SqliteNodeFixture fixture) : IClassFixture<SqliteNodeFixture>
{
    private const string Anonymous = "(none)";

    /// <summary>An endpoint, the policy that guards it (null: anonymous), and how to build a request an admitted caller succeeds with.</summary>
    private sealed record Endpoint(string Method, string Path, string? Policy, Func<HttpClient, Task<HttpRequestMessage>> Request);

    private static readonly Endpoint[] Table =
    [
        new("POST", "/api/interactions", LedgerPolicies.Record, _ => Post("/api/interactions", Bodies.Interaction("ISR", "TUR"))),
        new("POST", "/api/multilateral-acts", LedgerPolicies.Record, _ => Post("/api/multilateral-acts", Bodies.MultilateralAct("UN", "ISR", "SYR"))),
        new("POST", "/api/corrections", LedgerPolicies.Record, async admin =>
            Post("/api/corrections", Bodies.Correction(await RecordAsync(admin), "ISR", "IRN", "042")).Result),
        new("POST", "/api/retractions", LedgerPolicies.Record, async admin =>
            Post("/api/retractions", Bodies.Retraction(await RecordAsync(admin))).Result),
        new("POST", "/api/merges", LedgerPolicies.Record, async admin =>
            Post("/api/merges", Bodies.Merge(await RecordAsync(admin), await RecordAsync(admin))).Result),
        new("GET", "/api/events", LedgerPolicies.Audit, _ => Get("/api/events")),
        new("GET", "/api/events/{eventId}", LedgerPolicies.Audit, async admin => Get($"/api/events/{await RecordAsync(admin)}").Result),
        new("GET", "/api/events/{eventId}/proof", LedgerPolicies.Audit, async admin => Get($"/api/events/{await RecordAsync(admin)}/proof").Result),
        new("GET", "/api/verify", LedgerPolicies.Audit, _ => Get("/api/verify")),
        new("POST", "/api/verify", LedgerPolicies.Audit, _ => Post("/api/verify", UnsignedCheckpoint)),
        new("GET", "/api/cluster", LedgerPolicies.Audit, _ => Get("/api/cluster")),
        new("GET", "/api/checkpoints/latest", LedgerPolicies.Audit, _ => Get("/api/checkpoints/latest")),
        new("GET", "/api/dyads/{dyad}/derivation", LedgerPolicies.Audit, _ => Get("/api/dyads/ISR-IRN/derivation")),
        new("GET", "/api/dyads/{dyad}/bucket", LedgerPolicies.Audit, _ => Get("/api/dyads/ISR-IRN/bucket?from=2020&to=2020")),
        new("GET", "/api/dyads", LedgerPolicies.ReadProjections, _ => Get("/api/dyads")),
        new("GET", "/api/dyads/{dyad}/theatres", LedgerPolicies.ReadProjections, _ => Get("/api/dyads/ISR-IRN/theatres")),
        new("GET", "/api/dyads/{dyad}/diff", LedgerPolicies.ReadProjections, _ => Get("/api/dyads/ISR-IRN/diff?against=goldstein-icews@1")),
        new("GET", "/api/dyads/{dyad}/score", LedgerPolicies.ReadProjections, _ => Get("/api/dyads/ISR-IRN/score")),
        new("GET", "/api/dyads/{dyad}/timeline", LedgerPolicies.ReadProjections, _ => Get("/api/dyads/ISR-IRN/timeline")),
        new("GET", "/api/subscriptions/scores", LedgerPolicies.Subscribe, _ => Get("/api/subscriptions/scores?dyad=ISR-IRN")),
        new("GET", "/api/actors", LedgerPolicies.ReadActors, _ => Get("/api/actors?search=turk")),
        new("GET", "/api/me", LedgerPolicies.ReadActors, _ => Get("/api/me")),
        new("GET", "/health", null, _ => Get("/health")),
        new("GET", "/openapi/v1.json", null, _ => Get("/openapi/v1.json")),
    ];

    public static IEnumerable<object[]> Cases =>
        from endpoint in Table
        from role in LedgerRoles.All.Prepend(Anonymous)
        select new object[] { endpoint.Method, endpoint.Path, role };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Cases))]
    public async Task Each_role_gets_exactly_what_its_policy_admits(string method, string path, string role)
    {
        var endpoint = Table.Single(e => e.Method == method && e.Path == path);
        var client = role == Anonymous ? fixture.Node.Anonymous() : fixture.Node.As(role);
        using var request = await endpoint.Request(fixture.Node.As(LedgerRoles.Admin));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);

        var expected =
            endpoint.Policy is null ? HttpStatusCode.OK
            : role == Anonymous ? HttpStatusCode.Unauthorized
            : !LedgerPolicies.Roles[endpoint.Policy].Contains(role) ? HttpStatusCode.Forbidden
            : method == "POST" && path != "/api/verify" ? HttpStatusCode.Created
            : HttpStatusCode.OK;
        Assert.Equal(expected, response.StatusCode);
        await cancel.CancelAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task The_table_covers_every_operation_of_the_OpenAPI_document()
    {
        var document = await fixture.Node.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal);
        var listed = Table.Where(e => e.Path != "/openapi/v1.json").Select(e => $"{e.Method} {e.Path}").Order(StringComparer.Ordinal);
        Assert.Equal(listed, operations);
    }

    [Fact(Timeout = 60_000)]
    public async Task Bearer_tokens_carry_roles_and_must_be_signed_with_the_configured_key()
    {
        var now = DateTimeOffset.UtcNow;
        var analyst = fixture.Node.Bearer(TestAuth.Token(now, TestAuth.JwtKey, LedgerRoles.Analyst));
        var forged = fixture.Node.Bearer(TestAuth.Token(now, "another-signing-key-of-at-least-32-bytes", LedgerRoles.Admin));
        var roleless = fixture.Node.Bearer(TestAuth.Token(now, TestAuth.JwtKey));

        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("ISR", "SYR")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.GetAsync("/api/dyads")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_API_key_is_401_with_problem_details()
    {
        var stranger = fixture.Node.Anonymous();
        stranger.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, "not-a-key");

        var answer = await stranger.GetAsync("/api/dyads");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
    }

    private static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>A well-formed checkpoint with a signature of zeros: verify answers 200 with the signature refused.</summary>
    private static string UnsignedCheckpoint =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            checkpoint = new Ledger.Checkpoints.Checkpoint(0, new string('0', 64), DateTimeOffset.UnixEpoch, new string('0', 16), new byte[64]).Format(),
        });

    private static Task<HttpRequestMessage> Post(string path, string body) =>
        Task.FromResult(new HttpRequestMessage(HttpMethod.Post, path) { Content = Bodies.Json(body) });

    private static async Task<Guid> RecordAsync(HttpClient admin)
    {
        var answer = await admin.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("ISR", "IRN")));
        return (await answer.ReadJsonAsync()).GetProperty("events")[0].GetProperty("eventId").GetGuid();
    }
}
