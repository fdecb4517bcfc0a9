using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;

namespace KarabakhLedger.Service.Tests.Appending;

/// <summary>
/// The commands in the OpenAPI document: each has a JSON request body whose schema requires what the parser requires and
/// takes its closed sets from the domain's data, keeps its answers, and has an example the service accepts.
/// </summary>
public abstract class CommandOpenApiTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : NodeFixture
{
    private const string Interactions = "/api/interactions";
    private const string MultilateralActs = "/api/multilateral-acts";
    private const string Corrections = "/api/corrections";
    private const string Retractions = "/api/retractions";
    private const string Merges = "/api/merges";

    private readonly HttpClient _analyst = fixture.Node.As(LedgerRoles.Analyst);

    [Theory(Timeout = 60_000)]
    [InlineData(Interactions, "type cameoCode initiator target occurredOn theatre summary sources")]
    [InlineData(MultilateralActs, "type cameoCode participants occurredOn theatre summary sources")]
    [InlineData(Corrections, "corrects reason sources with")]
    [InlineData(Retractions, "retracts reason sources")]
    [InlineData(Merges, "merges reason sources")]
    public async Task Each_command_takes_a_required_JSON_body_described_by_a_schema_with_its_required_properties(string path, string required)
    {
        var document = await DocumentAsync();

        var body = Operation(document, path).GetProperty("requestBody");

        Assert.True(body.GetProperty("required").GetBoolean());
        var content = Assert.Single(body.GetProperty("content").EnumerateObject());
        Assert.Equal("application/json", content.Name);
        var schema = Resolve(document, content.Value.GetProperty("schema"));
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal(required.Split(' ').Order(StringComparer.Ordinal), Names(schema.GetProperty("required")));
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Subset(properties, Names(schema.GetProperty("required")).ToHashSet());
        Assert.Equal(JsonValueKind.Object, content.Value.GetProperty("example").ValueKind);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Interactions, "{}", null)]
    [InlineData(MultilateralActs, """{ "participants": [] }""", "participants")]
    [InlineData(Corrections, """{ "corrects": "?" }""", "corrects")]
    [InlineData(Retractions, """{ "retracts": "?" }""", "retracts")]
    [InlineData(Merges, """{ "merges": "?" }""", "merges")]
    public async Task A_schemas_required_properties_are_what_the_service_refuses_as_missing(string path, string probe, string? given)
    {
        var document = await DocumentAsync();
        var schema = Resolve(document, Operation(document, path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

        var refused = await _analyst.PostAsync(path, Bodies.Json(probe));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var missing = (await refused.ReadJsonAsync()).GetProperty("errors").EnumerateObject()
            .Where(e => e.Value.EnumerateArray().Any(rule => rule.GetString()!.StartsWith("is required", StringComparison.Ordinal)))
            .Select(e => e.Name);
        Assert.Equal(missing.Concat(given is null ? [] : [given]).Order(StringComparer.Ordinal), Names(schema.GetProperty("required")));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_interaction_types_of_every_schema_are_the_ones_the_domain_registry_knows()
    {
        var document = await DocumentAsync();
        var expected = EventTypes.Interactions.Select(t => t.Name).ToArray();

        var interaction = BodySchema(document, Interactions).GetProperty("properties");
        var act = BodySchema(document, MultilateralActs).GetProperty("properties");
        var corrected = BodySchema(document, Corrections).GetProperty("properties").GetProperty("with").GetProperty("properties");

        Assert.NotEmpty(expected);
        foreach (var properties in new[] { interaction, act, corrected })
        {
            Assert.Equal(expected, Strings(Resolve(document, properties.GetProperty("type")).GetProperty("enum")));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task CAMEO_and_actor_codes_are_those_of_the_bundled_cameo_table_and_actor_registry()
    {
        var document = await DocumentAsync();
        var interaction = BodySchema(document, Interactions).GetProperty("properties");
        var host = BodySchema(document, MultilateralActs).GetProperty("properties").GetProperty("host").GetProperty("properties");

        var cameo = Strings(Resolve(document, interaction.GetProperty("cameoCode")).GetProperty("enum"));
        var hostCameo = Strings(Resolve(document, host.GetProperty("cameoCode")).GetProperty("enum"));
        var actor = Resolve(document, interaction.GetProperty("initiator"));

        Assert.Equal(CameoCatalog.Default.All.Select(e => e.Code).Order(StringComparer.Ordinal), cameo);
        Assert.Equal(cameo, hostCameo);
        Assert.Contains("010", cameo);
        Assert.Contains("10", cameo);
        Assert.False(actor.TryGetProperty("enum", out _), "actors are codes or names, too many to enumerate");
        Assert.Equal(TextLimits.ActorText, actor.GetProperty("maxLength").GetInt32());
        Assert.Contains("Türkiye", actor.GetProperty("description").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task The_command_operations_keep_their_answers()
    {
        var document = await DocumentAsync();

        foreach (var path in new[] { Interactions, MultilateralActs, Corrections, Retractions, Merges })
        {
            var responses = Operation(document, path).GetProperty("responses");
            Assert.Equal(["200", "201", "400", "404", "409", "413"], responses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
            Assert.Equal("#/components/schemas/RecordedResponse", Ref(responses, "201", "application/json"));
            Assert.Equal("#/components/schemas/RecordedResponse", Ref(responses, "200", "application/json"));
            Assert.Equal("#/components/schemas/HttpValidationProblemDetails", Ref(responses, "400", "application/problem+json"));
            Assert.Equal("#/components/schemas/ProblemDetails", Ref(responses, "409", "application/problem+json"));
            Assert.Equal("#/components/schemas/ProblemDetails", Ref(responses, "413", "application/problem+json"));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Each_operations_own_example_is_accepted()
    {
        var document = await DocumentAsync();
        var interaction = Example(document, Interactions);
        var act = Example(document, MultilateralActs);
        var correction = Example(document, Corrections);
        var retraction = Example(document, Retractions);
        Assert.Equal(interaction["id"]!.GetValue<string>(), correction["corrects"]!.GetValue<string>());
        Assert.Equal(interaction["id"]!.GetValue<string>(), retraction["retracts"]!.GetValue<string>());
        var recorded = Guid.NewGuid().ToString();
        interaction["id"] = recorded;
        act["id"] = Guid.NewGuid().ToString();
        correction["corrects"] = recorded;
        retraction["retracts"] = recorded;

        var answers = new List<HttpResponseMessage>();
        foreach (var (path, body) in new[] { (Interactions, interaction), (MultilateralActs, act), (Corrections, correction), (Retractions, retraction) })
        {
            answers.Add(await _analyst.PostAsync(path, Bodies.Json(body.ToJsonString())));
        }

        foreach (var answer in answers)
        {
            Assert.True(answer.StatusCode == HttpStatusCode.Created, $"{answer.RequestMessage!.RequestUri}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(recorded, (await answers[0].ReadJsonAsync()).GetProperty("recordingId").GetString());
    }

    private async Task<JsonElement> DocumentAsync() =>
        await fixture.Node.Anonymous().GetFromJsonAsync<JsonElement>(LedgerService.OpenApiPath);

    private static JsonElement Operation(JsonElement document, string path) => document.GetProperty("paths").GetProperty(path).GetProperty("post");

    private static JsonElement BodySchema(JsonElement document, string path) =>
        Resolve(document, Operation(document, path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

    private static JsonObject Example(JsonElement document, string path) =>
        JsonNode.Parse(Operation(document, path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetRawText())!.AsObject();

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;

    private static string? Ref(JsonElement responses, string status, string contentType) =>
        responses.GetProperty(status).GetProperty("content").GetProperty(contentType).GetProperty("schema").GetProperty("$ref").GetString();

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static IEnumerable<string> Names(JsonElement array) => Strings(array).Order(StringComparer.Ordinal);
}

public sealed class SqliteCommandOpenApiTests(SqliteNodeFixture fixture) : CommandOpenApiTests<SqliteNodeFixture>(fixture);

public sealed class PostgresCommandOpenApiTests(PostgresNodeFixture fixture) : CommandOpenApiTests<PostgresNodeFixture>(fixture);
