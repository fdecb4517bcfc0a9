using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Appending;

/// <summary>The commands end to end: HTTP request, Wolverine handler, the store, and back. Each test uses dyads of its own.</summary>
public abstract class CommandEndpointTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : NodeFixture
{
    private readonly HttpClient _analyst = fixture.Node.As(LedgerRoles.Analyst);
    private readonly HttpClient _auditor = fixture.Node.As(LedgerRoles.Auditor);

    [Fact(Timeout = 60_000)]
    public async Task Recording_answers_201_with_event_ids_and_positions_and_resending_appends_nothing()
    {
        var body = Bodies.Interaction("GEO", "RUS");

        var created = await _analyst.PostAsync("/api/interactions", Bodies.Json(body));
        var again = await _analyst.PostAsync("/api/interactions", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var recorded = await created.ReadJsonAsync();
        var e = Assert.Single(recorded.GetProperty("events").EnumerateArray());
        Assert.Equal("GEO-RUS", e.GetProperty("dyad").GetString());
        Assert.Equal(1, e.GetProperty("streamVersion").GetInt64());
        Assert.True(e.GetProperty("position").GetInt64() > 0);
        Assert.Equal("appended", e.GetProperty("status").GetString());
        Assert.Equal($"/api/events/{e.GetProperty("eventId").GetString()}", created.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await again.ReadJsonAsync()).GetProperty("created").GetBoolean());
        Assert.Equal(1, await CountAsync("GEO-RUS"));
        var stored = await _auditor.GetAsync(created.Headers.Location);
        Assert.Equal("talks-held", (await stored.ReadJsonAsync()).GetProperty("type").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_expected_version_conflict_answers_409_and_writes_nothing()
    {
        var first = await _analyst.PostAsync("/api/interactions?expectedVersion=0", Bodies.Json(Bodies.Interaction("GEO", "TUR")));
        var stale = await _analyst.PostAsync("/api/interactions?expectedVersion=0", Bodies.Json(Bodies.Interaction("GEO", "TUR")));
        var current = await _analyst.PostAsync("/api/interactions?expectedVersion=1", Bodies.Json(Bodies.Interaction("GEO", "TUR")));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        var problem = await stale.ReadJsonAsync();
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal(1, problem.GetProperty("actualVersion").GetInt64());
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
        Assert.Equal(2, await CountAsync("GEO-TUR"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Refused_input_answers_400_problem_details_naming_each_field_and_rule_and_writes_nothing()
    {
        var body = Bodies.Interaction("GRC", "TUR", cameoCode: "999").Replace("https://example.org/report", "not a url", StringComparison.Ordinal);

        var refused = await _analyst.PostAsync("/api/interactions", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
        Assert.NotEmpty(errors.GetProperty("cameoCode").EnumerateArray());
        Assert.NotEmpty(errors.GetProperty("sources[0].url")[0].GetString()!);
        Assert.Equal(0, await CountAsync("GRC-TUR"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_body_over_the_limit_answers_413()
    {
        var huge = Bodies.Interaction("CYP", "TUR").Replace("Test talks", new string('x', 300 * 1024), StringComparison.Ordinal);

        var refused = await _analyst.PostAsync("/api/interactions", Bodies.Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal(413, (await refused.ReadJsonAsync()).GetProperty("status").GetInt32());
        Assert.Equal(0, await CountAsync("CYP-TUR"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_multilateral_act_is_appended_to_every_affected_dyad_at_once()
    {
        var created = await _analyst.PostAsync("/api/multilateral-acts", Bodies.Json(Bodies.MultilateralAct("QAT", "LBY", "EGY")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var events = (await created.ReadJsonAsync()).GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(["EGY-LBY", "EGY-QAT", "LBY-QAT"], events.Select(e => e.GetProperty("dyad").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(3, events.Select(e => e.GetProperty("position").GetInt64()).Distinct().Count());
    }

    [Fact(Timeout = 60_000)]
    public async Task Corrections_and_retractions_go_to_the_amended_events_stream_and_are_checked_against_the_ledger()
    {
        var recorded = await (await _analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("IRN", "TUR")))).ReadJsonAsync();
        var id = recorded.GetProperty("events")[0].GetProperty("eventId").GetGuid();

        var corrected = await _analyst.PostAsync("/api/corrections?expectedVersion=1", Bodies.Json(Bodies.Correction(id, "IRN", "TUR", "042")));
        var movedDyad = await _analyst.PostAsync("/api/corrections", Bodies.Json(Bodies.Correction(id, "IRN", "RUS", "042")));
        var unknown = await _analyst.PostAsync("/api/retractions", Bodies.Json(Bodies.Retraction(Guid.NewGuid())));
        var retracted = await _analyst.PostAsync("/api/retractions?expectedVersion=2", Bodies.Json(Bodies.Retraction(id)));
        var twice = await _analyst.PostAsync("/api/retractions", Bodies.Json(Bodies.Retraction(id)));

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal("IRN-TUR", (await corrected.ReadJsonAsync()).GetProperty("events")[0].GetProperty("dyad").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, movedDyad.StatusCode);
        Assert.True((await movedDyad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("with.initiator", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.ReadJsonAsync()).GetProperty("errors").TryGetProperty("retracts", out _));
        Assert.Equal(HttpStatusCode.Created, retracted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(3, await CountAsync("IRN-TUR"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Error_answers_carry_no_stack_traces_or_paths()
    {
        var answers = new[]
        {
            await _analyst.PostAsync("/api/interactions", Bodies.Json("{ broken")),
            await _analyst.PostAsync("/api/interactions?expectedVersion=-4", Bodies.Json(Bodies.Interaction("IRQ", "TUR"))),
            await _auditor.GetAsync("/api/events?from=2022-13"),
            await _auditor.GetAsync($"/api/events/{Guid.NewGuid()}"),
        };

        foreach (var answer in answers)
        {
            var text = await answer.Content.ReadAsStringAsync();
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/work/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unparseable_expected_version_answers_400()
    {
        var refused = await _analyst.PostAsync("/api/interactions?expectedVersion=soon", Bodies.Json(Bodies.Interaction("IRQ", "SYR")));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(0, await CountAsync("IRQ-SYR"));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(CommandEdgeCases.Interactions), MemberType = typeof(CommandEdgeCases))]
    public async Task Byte_level_edge_cases_get_the_answer_the_CLI_gives(InputEdgeCase edge)
    {
        var before = await CountAsync("AZE-GEO");
        using var content = new ByteArrayContent(edge.Bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await _analyst.PostAsync("/api/interactions", content);

        if (edge.Accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(before + 1, await CountAsync("AZE-GEO"));
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateObject().ToList();
            Assert.Equal(edge.Field, Assert.Single(errors).Name);
            Assert.Equal([edge.Rule], errors[0].Value.EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(before, await CountAsync("AZE-GEO"));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_merge_is_recorded_on_its_dyad_and_the_derivation_counts_the_group_once_naming_the_merge()
    {
        var a = await RecordBilateralAsync("GEO", "ARM");
        var b = await RecordBilateralAsync("ARM", "GEO");
        var c = await RecordBilateralAsync("GEO", "ARM");
        var before = await DerivationAsync("ARM-GEO");

        var merged = await _analyst.PostAsync("/api/merges?expectedVersion=3", Bodies.Json(Bodies.Merge(c, a, b)));
        var body = await merged.ReadJsonAsync();
        var mergeId = body.GetProperty("events")[0].GetProperty("eventId").GetString();
        var after = await DerivationAsync("ARM-GEO");
        var stored = await _auditor.GetFromJsonAsync<JsonElement>($"/api/events/{mergeId}");

        Assert.Equal(HttpStatusCode.Created, merged.StatusCode);
        Assert.Equal("ARM-GEO", body.GetProperty("events")[0].GetProperty("dyad").GetString());
        Assert.Equal("interactions-merged", stored.GetProperty("type").GetString());
        Assert.Equal([c, a, b], stored.GetProperty("merges").EnumerateArray().Select(m => m.GetGuid()));
        Assert.Equal(3, before.GetProperty("events").GetInt32());
        Assert.Equal(1, after.GetProperty("events").GetInt32());
        Assert.Equal(a, after.GetProperty("contributions")[0].GetProperty("eventId").GetGuid());
        Assert.Equal([(b, "merged", a), (c, "merged", a)], after.GetProperty("setAside").EnumerateArray()
            .Select(s => (s.GetProperty("eventId").GetGuid(), s.GetProperty("rule").GetString(), s.GetProperty("keptEventId").GetGuid())));
        Assert.All(after.GetProperty("setAside").EnumerateArray(), s => Assert.Equal(mergeId, s.GetProperty("mergeEventId").GetString()));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_refused_merge_answers_400_naming_each_field_and_writes_nothing()
    {
        var a = await RecordBilateralAsync("AZE", "IRN");
        var elsewhere = await RecordBilateralAsync("AZE", "TUR");
        var retracted = await RecordBilateralAsync("AZE", "IRN");
        Assert.Equal(HttpStatusCode.Created, (await _analyst.PostAsync("/api/retractions", Bodies.Json(Bodies.Retraction(retracted)))).StatusCode);
        var count = await CountAsync("AZE-IRN");

        var answers = new (HttpResponseMessage Answer, string Field, string Rule)[]
        {
            (await _analyst.PostAsync("/api/merges", Bodies.Json(Bodies.Merge(a))), "merges", "must list at least 2 (got 1)"),
            (await _analyst.PostAsync("/api/merges", Bodies.Json(Bodies.Merge(a, Guid.NewGuid()))), "merges[1]", "no event"),
            (await _analyst.PostAsync("/api/merges", Bodies.Json(Bodies.Merge(a, elsewhere))), "merges[1]", "is on dyad AZE-TUR"),
            (await _analyst.PostAsync("/api/merges", Bodies.Json(Bodies.Merge(a, retracted))), "merges[1]", "was retracted"),
            (await _analyst.PostAsync("/api/retractions", Bodies.Json(Bodies.Merge(a, retracted))), "merges", "a merge goes to POST /api/merges"),
        };

        foreach (var (answer, field, rule) in answers)
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            var errors = (await answer.ReadJsonAsync()).GetProperty("errors");
            Assert.Contains(rule, errors.GetProperty(field)[0].GetString());
        }

        Assert.Equal(count, await CountAsync("AZE-IRN"));
        Assert.Equal(1, await CountAsync("AZE-TUR"));
    }

    private async Task<Guid> RecordBilateralAsync(string initiator, string target)
    {
        var answer = await _analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction(initiator, target)));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return (await answer.ReadJsonAsync()).GetProperty("events")[0].GetProperty("eventId").GetGuid();
    }

    private async Task<JsonElement> DerivationAsync(string dyad) =>
        await _auditor.GetFromJsonAsync<JsonElement>($"/api/dyads/{dyad}/derivation?asOf=2022-12-31");

    private async Task<int> CountAsync(string dyad)
    {
        var page = await _auditor.GetFromJsonAsync<JsonElement>($"/api/events?dyad={dyad}&limit=1000");
        return page.GetProperty("events").GetArrayLength();
    }
}

public sealed class SqliteCommandEndpointTests(SqliteNodeFixture fixture) : CommandEndpointTests<SqliteNodeFixture>(fixture);

public sealed class PostgresCommandEndpointTests(PostgresNodeFixture fixture) : CommandEndpointTests<PostgresNodeFixture>(fixture);

/// <summary>The byte-level edge cases of an interaction body, outside the generic test class (CA1000).</summary>
public static class CommandEdgeCases
{
    public static IEnumerable<object[]> Interactions =>
        InputEdgeCase.For((summary, occurredOn) => Bodies.Interaction("GEO", "AZE", occurredOn: occurredOn).Replace(
            "\"summary\":\"Test talks", $"\"summary\":\"{summary} Test talks", StringComparison.Ordinal), DateOnly.FromDateTime(DateTime.UtcNow))
        .Select(c => new object[] { c });
}
