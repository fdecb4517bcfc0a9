using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;

namespace KarabakhLedger.Service.Tests.Scoring;

/// <summary>
/// The queries end to end, with numbers worked out by hand from docs/scoring.md: CAMEO 036 weighs +4.0 and 138 −7.0
/// (goldstein-gdelt@1), and a year before the as-of day halves a value (half-life 365 days).
/// </summary>
public abstract class QueryEndpointTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : NodeFixture
{
    private readonly HttpClient _analyst = fixture.Node.As(LedgerRoles.Analyst);
    private readonly HttpClient _auditor = fixture.Node.As(LedgerRoles.Auditor);
    private readonly HttpClient _service = fixture.Node.As(LedgerRoles.Service);

    [Fact(Timeout = 60_000)]
    public async Task Score_timeline_and_derivation_come_from_the_projection_and_include_the_latest_appends()
    {
        await RecordAsync(Bodies.Interaction("KAZ", "RUS", cameoCode: "036", occurredOn: "2022-03-10"));
        await RecordAsync(Bodies.Interaction("KAZ", "RUS", cameoCode: "138", occurredOn: "2021-03-10"));

        var score = await _service.GetFromJsonAsync<JsonElement>("/api/dyads/RUS-KAZ/score?asOf=2022-03-10");
        var before = await _service.GetFromJsonAsync<JsonElement>("/api/dyads/KAZ-RUS/score?asOf=2022-03-10&knownAt=2001-01-01T00:00:00Z");
        var timeline = await _service.GetFromJsonAsync<JsonElement>("/api/dyads/KAZ-RUS/timeline?asOf=2022-12-31&bucket=year");
        var derivation = await _auditor.GetFromJsonAsync<JsonElement>("/api/dyads/KAZ-RUS/derivation?asOf=2022-03-10&model=goldstein-gdelt");

        Assert.Equal("KAZ-RUS", score.GetProperty("dyad").GetString());
        Assert.Equal(0.5m, score.GetProperty("score").GetDecimal());
        Assert.Equal(4m, score.GetProperty("cooperation").GetDecimal());
        Assert.Equal(-7m, score.GetProperty("conflict").GetDecimal());
        Assert.Equal(2, score.GetProperty("events").GetInt32());
        Assert.False(score.TryGetProperty("contributions", out _));
        Assert.Equal(0, before.GetProperty("events").GetInt32());
        Assert.Equal(["2021", "2022"], timeline.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("label").GetString()));
        Assert.Equal([-7m, 4m], timeline.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("net").GetDecimal()));
        var contributions = derivation.GetProperty("contributions").EnumerateArray().ToArray();
        Assert.Equal([0.5m, 1m], contributions.Select(c => c.GetProperty("decayFactor").GetDecimal()));
        Assert.Equal(score.GetProperty("digest").GetString(), derivation.GetProperty("digest").GetString());
        var stored = await _auditor.GetFromJsonAsync<JsonElement>($"/api/events/{contributions[0].GetProperty("eventId").GetString()}");
        Assert.Equal(stored.GetProperty("hash").GetString(), contributions[0].GetProperty("hash").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Actors_are_found_by_name_as_the_CLI_finds_them_and_a_bad_kind_names_the_parameter()
    {
        var found = await _analyst.GetFromJsonAsync<JsonElement>("/api/actors?search=t%C3%BCrkiye");
        var baykar = await _analyst.GetFromJsonAsync<JsonElement>("/api/actors?search=baykar&kind=company");
        var all = await _analyst.GetFromJsonAsync<JsonElement>("/api/actors");
        using var bad = await _analyst.GetAsync("/api/actors?kind=planet");

        Assert.Contains(found.EnumerateArray(), a => a.GetProperty("code").GetString() == "TUR" && a.GetProperty("kind").GetString() == "state");
        var company = Assert.Single(baykar.EnumerateArray());
        Assert.Equal("TUR", company.GetProperty("affiliations")[0].GetProperty("state").GetString());
        Assert.Equal(Domain.Actors.ActorRegistry.Default.All.Count(), all.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("must be one of state,", (await bad.ReadJsonAsync()).GetProperty("errors").GetProperty("kind")[0].GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Events_are_paged_by_position_and_filtered_by_dyad_and_date_like_the_CLI()
    {
        for (var year = 2018; year <= 2022; year++)
        {
            await RecordAsync(Bodies.Interaction("BLR", "POL", occurredOn: $"{year}-06"));
        }

        var pages = new List<JsonElement>();
        string? next = "0";
        while (next is not null)
        {
            var page = await _auditor.GetFromJsonAsync<JsonElement>($"/api/events?dyad=POL-BLR&limit=2&after={next}");
            pages.Add(page);
            next = page.TryGetProperty("next", out var after) ? after.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        var all = pages.SelectMany(p => p.GetProperty("events").EnumerateArray()).ToArray();
        var filtered = await _auditor.GetFromJsonAsync<JsonElement>("/api/events?dyad=BLR-POL&from=2020&to=2021-06-30");

        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("events").GetArrayLength()));
        Assert.Equal(["2018-06", "2019-06", "2020-06", "2021-06", "2022-06"], all.Select(e => e.GetProperty("occurredOn").GetString()));
        Assert.Equal(all.Select(e => e.GetProperty("position").GetInt64()).Order(), all.Select(e => e.GetProperty("position").GetInt64()));
        Assert.Equal(["2020-06", "2021-06"], filtered.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("occurredOn").GetString()));
    }

    [Fact(Timeout = 60_000)]
    public async Task Dyads_and_verification_cover_the_whole_ledger()
    {
        await RecordAsync(Bodies.Interaction("MDA", "ROU"));

        var dyads = await _service.GetFromJsonAsync<JsonElement>("/api/dyads");
        var verified = await _auditor.GetFromJsonAsync<JsonElement>("/api/verify");

        var dyad = dyads.EnumerateArray().Single(d => d.GetProperty("dyad").GetString() == "MDA-ROU");
        Assert.Equal(1, dyad.GetProperty("interactions").GetInt32());
        Assert.Equal(1, dyad.GetProperty("cooperation").GetInt32());

        // The summaries are kept between calls: what is appended after one (a conflict, a retraction) shows in the next.
        var conflict = await (await _analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("MDA", "ROU", cameoCode: "138", occurredOn: "2023-05-01")))).ReadJsonAsync();
        var afterConflict = (await _service.GetFromJsonAsync<JsonElement>("/api/dyads")).EnumerateArray().Single(d => d.GetProperty("dyad").GetString() == "MDA-ROU");
        using var retracted = await _analyst.PostAsync("/api/retractions", Bodies.Json(Bodies.Retraction(conflict.GetProperty("events")[0].GetProperty("eventId").GetGuid())));
        var afterRetraction = (await _service.GetFromJsonAsync<JsonElement>("/api/dyads")).EnumerateArray().Single(d => d.GetProperty("dyad").GetString() == "MDA-ROU");
        Assert.Equal((2, 1, "2023-05-01"), (afterConflict.GetProperty("interactions").GetInt32(), afterConflict.GetProperty("conflict").GetInt32(), afterConflict.GetProperty("last").GetString()));
        Assert.Equal(HttpStatusCode.Created, retracted.StatusCode);
        Assert.Equal((1, 0), (afterRetraction.GetProperty("interactions").GetInt32(), afterRetraction.GetProperty("conflict").GetInt32()));
        Assert.True(verified.GetProperty("intact").GetBoolean());
        Assert.True(verified.GetProperty("eventsChecked").GetInt64() >= 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_derivation_is_paged_by_the_grain_and_each_page_is_the_whole_derivations_window()
    {
        foreach (var (code, day) in new[] { ("036", "2020-01-10"), ("138", "2020-06-10"), ("042", "2021-02-01"), ("057", "2021-09-09"), ("112", "2022-01-05") })
        {
            await RecordAsync(Bodies.Interaction("KGZ", "TJK", cameoCode: code, occurredOn: day));
        }

        const string Url = "/api/dyads/TJK-KGZ/derivation?asOf=2022-12-31&model=goldstein-gdelt";
        var whole = await _auditor.GetFromJsonAsync<JsonElement>(Url);
        var page = await _auditor.GetFromJsonAsync<JsonElement>($"{Url}&offset=1&limit=2");
        var last = await _auditor.GetFromJsonAsync<JsonElement>($"{Url}&offset=4&limit=2");
        var beyond = await _auditor.GetFromJsonAsync<JsonElement>($"{Url}&offset=9&limit=2");

        var all = whole.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("eventId").GetGuid()).ToArray();
        Assert.Equal(5, all.Length);
        Assert.Equal((0, 1000, 5), (whole.GetProperty("page").GetProperty("offset").GetInt32(), whole.GetProperty("page").GetProperty("limit").GetInt32(), whole.GetProperty("page").GetProperty("contributions").GetInt32()));
        Assert.Equal(all[1..3], page.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("eventId").GetGuid()));
        Assert.Equal(all[4..], last.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("eventId").GetGuid()));
        Assert.Empty(beyond.GetProperty("contributions").EnumerateArray());
        foreach (var answer in new[] { page, last, beyond })
        {
            Assert.Equal(5, answer.GetProperty("page").GetProperty("contributions").GetInt32());
            Assert.Equal(whole.GetProperty("score").GetDecimal(), answer.GetProperty("score").GetDecimal());
            Assert.Equal(whole.GetProperty("events").GetInt32(), answer.GetProperty("events").GetInt32());
            Assert.Equal(whole.GetProperty("digest").GetString(), answer.GetProperty("digest").GetString());
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/api/dyads/RUS-KAZ/score?asOf=2022-13-01", "asOf")]
    [InlineData("/api/dyads/RUS-KAZ/score?knownAt=yesterday", "knownAt")]
    [InlineData("/api/dyads/RUS-KAZ/score?model=no-such-model", "model")]
    [InlineData("/api/dyads/RUS-XXX/score", "dyad")]
    [InlineData("/api/dyads/RUS-KAZ/timeline?bucket=week", "bucket")]
    [InlineData("/api/events?limit=0", "limit")]
    [InlineData("/api/dyads/RUS-KAZ/derivation?limit=0", "limit")]
    [InlineData("/api/dyads/RUS-KAZ/derivation?limit=1001", "limit")]
    [InlineData("/api/dyads/RUS-KAZ/derivation?offset=-1", "offset")]
    [InlineData("/api/events?from=2022&to=2021", "from")]
    [InlineData("/api/dyads/RUS-KAZ/timeline?from=2022&to=2015", "from")]
    public async Task A_bad_parameter_answers_400_naming_it(string url, string parameter)
    {
        var answer = await _auditor.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.ReadJsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), await answer.Content.ReadAsStringAsync());
        Assert.Equal("The request was refused.", problem.GetProperty("title").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bucket_theatres_and_a_model_diff_add_up_to_the_timeline_and_bad_parameters_are_named()
    {
        // 036 weighs +4.0 under both bundled models; 022 weighs +3.2 (GDELT) and +3.4 (ICEWS).
        await RecordAsync(Bodies.Interaction("LTU", "LVA", cameoCode: "036", occurredOn: "2021-03-10"));
        await RecordAsync(Bodies.Interaction("LTU", "LVA", cameoCode: "022", occurredOn: "2021-07"));
        await RecordAsync(Bodies.Interaction("LTU", "LVA", cameoCode: "036", occurredOn: "2022-01-05"));

        var bucket = await _auditor.GetFromJsonAsync<JsonElement>("/api/dyads/LVA-LTU/bucket?from=2021-01-01&to=2021-12-31&asOf=2022-12-31&limit=1");
        var theatres = await _service.GetFromJsonAsync<JsonElement>("/api/dyads/LTU-LVA/theatres?asOf=2022-12-31");
        var diff = await _service.GetFromJsonAsync<JsonElement>("/api/dyads/LTU-LVA/diff?against=goldstein-icews@1&asOf=2022-12-31");
        using var noAgainst = await _service.GetAsync("/api/dyads/LTU-LVA/diff");
        using var noFrom = await _auditor.GetAsync("/api/dyads/LTU-LVA/bucket?to=2021");
        using var serviceBucket = await _service.GetAsync("/api/dyads/LTU-LVA/bucket?from=2021&to=2021");

        Assert.Equal(2, bucket.GetProperty("total").GetInt32());
        Assert.Equal(7.2m, bucket.GetProperty("net").GetDecimal());
        var entry = Assert.Single(bucket.GetProperty("entries").EnumerateArray());
        Assert.Equal("036", entry.GetProperty("contribution").GetProperty("cameoCode").GetString());
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("cameoLabel").GetString()));
        var series = Assert.Single(theatres.GetProperty("theatres").EnumerateArray());
        Assert.Equal("black-sea-ukraine", series.GetProperty("theatre").GetString());
        Assert.Equal([7.2m, 4m], series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("net").GetDecimal()));
        Assert.Equal([0.2m, 0m], diff.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("netDifference").GetDecimal()));
        Assert.Equal(HttpStatusCode.BadRequest, noAgainst.StatusCode);
        Assert.True((await noAgainst.ReadJsonAsync()).GetProperty("errors").TryGetProperty("against", out _));
        Assert.Equal(HttpStatusCode.BadRequest, noFrom.StatusCode);
        Assert.True((await noFrom.ReadJsonAsync()).GetProperty("errors").TryGetProperty("from", out _));
        Assert.Equal(HttpStatusCode.Forbidden, serviceBucket.StatusCode);
    }

    private async Task RecordAsync(string body)
    {
        var answer = await _analyst.PostAsync("/api/interactions", Bodies.Json(body));
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
    }
}

public sealed class SqliteQueryEndpointTests(SqliteNodeFixture fixture) : QueryEndpointTests<SqliteNodeFixture>(fixture);

public sealed class PostgresQueryEndpointTests(PostgresNodeFixture fixture) : QueryEndpointTests<PostgresNodeFixture>(fixture);
