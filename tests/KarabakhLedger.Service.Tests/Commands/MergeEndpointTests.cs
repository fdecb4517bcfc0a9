using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Commands;

/// <summary>POST /api/merges end to end: checked against the ledger, all or nothing, and counted once by the projection.</summary>
public abstract class MergeEndpointTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : NodeFixture
{
    private readonly HttpClient _analyst = fixture.Node.As(LedgerRoles.Analyst);
    private readonly HttpClient _auditor = fixture.Node.As(LedgerRoles.Auditor);

    [Fact(Timeout = 60_000)]
    public async Task A_merge_is_recorded_on_its_dyad_and_the_derivation_counts_the_group_once_naming_the_merge()
    {
        var a = await RecordAsync("GEO", "ARM");
        var b = await RecordAsync("ARM", "GEO");
        var c = await RecordAsync("GEO", "ARM");
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
        var a = await RecordAsync("AZE", "IRN");
        var elsewhere = await RecordAsync("AZE", "TUR");
        var retracted = await RecordAsync("AZE", "IRN");
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

    private async Task<Guid> RecordAsync(string initiator, string target)
    {
        var answer = await _analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction(initiator, target)));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return (await answer.ReadJsonAsync()).GetProperty("events")[0].GetProperty("eventId").GetGuid();
    }

    private async Task<JsonElement> DerivationAsync(string dyad) =>
        await _auditor.GetFromJsonAsync<JsonElement>($"/api/dyads/{dyad}/derivation?asOf=2022-12-31");

    private async Task<int> CountAsync(string dyad) =>
        (await _auditor.GetFromJsonAsync<JsonElement>($"/api/events?dyad={dyad}&limit=1000")).GetProperty("events").GetArrayLength();
}

public sealed class SqliteMergeEndpointTests(SqliteNodeFixture fixture) : MergeEndpointTests<SqliteNodeFixture>(fixture);

public sealed class PostgresMergeEndpointTests(PostgresNodeFixture fixture) : MergeEndpointTests<PostgresNodeFixture>(fixture);
