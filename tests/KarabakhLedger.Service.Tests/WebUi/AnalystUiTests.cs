using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Playwright;
using static KarabakhLedger.Service.Tests.WebUi.UiSteps;
using static Microsoft.Playwright.Assertions;

namespace KarabakhLedger.Service.Tests.WebUi;

/// <summary>
/// The analyst's web UI in Debian's Chromium against a real <c>ledger serve</c> on the seed corpus: sign in, pick a
/// dyad by name, read its timeline, open a year, its events and sources, the derivation, as of an earlier date; record
/// (refused field by field, and accepted); and what a service key may not see. Screenshots go to TestResults/ui.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AnalystUiTests(BrowserFixture fixture)
{
    [Fact(Timeout = 180_000)]
    public async Task Sign_in_takes_an_API_key_or_a_JWT_and_refuses_an_unknown_key()
    {
        var page = await fixture.NewPageAsync();

        await SignInAsync(page, "not-a-key");
        await Expect(page.Locator("#signin-error")).ToHaveTextAsync("The server refused this key or token.");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('karabakh-ledger.credential')"));

        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Admin));
        await Expect(page.Locator("#who-text")).ToContainTextAsync("admin");
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Dyad" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "signed-in");

        var jwtPage = await fixture.NewPageAsync();
        await SignInAsync(jwtPage, TestAuth.Token(DateTimeOffset.UtcNow, roles: LedgerRoles.Auditor), jwt: true);
        await Expect(jwtPage.Locator("#who-text")).ToContainTextAsync("auditor");
        await Expect(jwtPage.GetByRole(AriaRole.Combobox, new() { Name = "Dyad" })).ToBeVisibleAsync();
        await Expect(jwtPage.Locator("#record")).ToBeHiddenAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task From_a_name_to_a_year_to_the_straits_closure_its_sources_and_its_derivation()
    {
        var page = await fixture.NewPageAsync();
        var requested = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, request) => requested.Enqueue(request.Url);
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Admin));

        await PickTurkeyRussiaAsync(page);
        Assert.Contains("dyad=TUR-RUS", page.Url, StringComparison.Ordinal);
        foreach (var year in new[] { "2016", "2017", "2018", "2019" })
        {
            await Expect(Row(page, year)).ToHaveClassAsync("no-data");
            await Expect(Row(page, year)).ToContainTextAsync("no data");
        }

        foreach (var year in new[] { "2015", "2020", "2021", "2022" })
        {
            await Expect(Row(page, year)).Not.ToHaveClassAsync("no-data");
        }

        var first = await page.Locator("#buckets tbody tr").First.GetAttributeAsync("data-period");
        Assert.Equal("2015", first);
        await BrowserFixture.ScreenshotAsync(page, "timeline", fullPage: false);

        var net2022 = Number(await Row(page, "2022").Locator("td.c3").TextContentAsync() ?? "");
        await page.GetByRole(AriaRole.Button, new() { Name = "Events in 2022" }).ClickAsync();
        var closure = page.Locator("#events tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "straits-closed", Exact = true }) });
        await Expect(closure).ToHaveCountAsync(1);
        var reuters = closure.GetByRole(AriaRole.Link).Filter(new() { HasText = "Reuters" });
        await Expect(reuters).ToHaveCountAsync(1);
        Assert.StartsWith("https://", await reuters.GetAttributeAsync("href"), StringComparison.Ordinal);
        await Expect(closure.Locator("q.passage")).ToContainTextAsync("fn. 4:");
        await Expect(closure).ToContainTextAsync("2022 (year)");
        await Expect(closure).ToContainTextAsync("172 Impose administrative sanctions");
        await BrowserFixture.ScreenshotAsync(page, "bucket", fullPage: false);

        await closure.GetByRole(AriaRole.Button, new() { Name = "Full record" }).ClickAsync();
        await Expect(page.Locator("#event-title")).ToHaveTextAsync("Event straits-closed on 2022");
        await Expect(page.Locator("#event-record")).ToContainTextAsync("previousHash");
        await Expect(page.Locator("#event-record").GetByRole(AriaRole.Link).Filter(new() { HasText = "Reuters" })).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page.Locator("#event-view"), "event");

        await page.GetByRole(AriaRole.Button, new() { Name = "How was this derived" }).ClickAsync();
        await Expect(page.Locator("#derivation-meta")).ToContainTextAsync("goldstein-gdelt@1");
        var weights = await page.Locator("#contributions tbody td.weight").AllTextContentsAsync();
        Assert.Equal(Number(await Row(page, "2022").Locator("td.c0").TextContentAsync() ?? ""), weights.Count);
        Assert.Equal(net2022, weights.Sum(Number));
        Assert.Equal(net2022, Number(await page.Locator("#sum-weight").TextContentAsync() ?? ""));
        var values = await page.Locator("#contributions tbody td.value").AllTextContentsAsync();
        Assert.Equal(values.Sum(Number), Number(await page.Locator("#sum-value").TextContentAsync() ?? ""));
        Assert.Matches("^[0-9a-f]{64}$", await page.Locator("#derivation-meta code.hash").TextContentAsync() ?? "");
        await BrowserFixture.ScreenshotAsync(page, "derivation", fullPage: false);

        // Everything the page loaded came from the node itself: no CDN, nothing from the internet.
        Assert.Contains(requested, u => u.EndsWith("/vendor/uplot/uPlot.iife.min.js", StringComparison.Ordinal));
        Assert.All(requested, u => Assert.StartsWith(fixture.Node.Address.ToString(), u, StringComparison.Ordinal));
    }

    [Fact(Timeout = 180_000)]
    public async Task As_of_an_earlier_date_2022_lacks_the_straits_closure_and_the_view_is_in_the_URL()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Admin));
        await PickTurkeyRussiaAsync(page);
        var eventsToday = Number(await Row(page, "2022").Locator("td.c0").TextContentAsync() ?? "");

        // The day before the invasion: 2022's events are dated to months or the year, which had not ended yet.
        await page.GetByLabel("As of (valid time)").FillAsync("2022-02-23");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Expect(page.Locator("#timeline-meta")).ToContainTextAsync("As of 2022-02-23");
        Assert.Contains("asOf=2022-02-23", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#buckets tbody tr").Last).ToHaveAttributeAsync("data-period", "2022");
        await Expect(Row(page, "2022")).ToHaveClassAsync("no-data");
        await Expect(Row(page, "2021")).Not.ToHaveClassAsync("no-data");
        await BrowserFixture.ScreenshotAsync(page, "as-of");

        // Mid-year, and from the URL alone: the spring's events count, the closure (dated only "2022") does not yet.
        await page.GotoAsync("/?dyad=TUR-RUS&asOf=2022-06-30");
        await Expect(page.Locator("#timeline-meta")).ToContainTextAsync("As of 2022-06-30");
        await Expect(page.GetByLabel("As of (valid time)")).ToHaveValueAsync("2022-06-30");
        var eventsMidYear = Number(await Row(page, "2022").Locator("td.c0").TextContentAsync() ?? "");
        Assert.InRange(eventsMidYear, 1, eventsToday - 1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Events in 2022" }).ClickAsync();
        await Expect(page.Locator("#events tbody tr")).ToHaveCountAsync((int)eventsMidYear);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "airspace-closed", Exact = true })).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "straits-closed", Exact = true })).ToHaveCountAsync(0);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_refused_recording_shows_the_rule_beside_its_field_and_writes_nothing_an_accepted_one_is_appended()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Analyst));
        await Expect(page.Locator("#record")).ToBeVisibleAsync();
        await Expect(page.Locator("#view-controls")).ToBeHiddenAsync();
        using var auditor = fixture.Node.As(LedgerRoles.Auditor);
        var before = await CountAsync(auditor, "ISR-EGY");

        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("talks-held");
        await page.GetByLabel("CAMEO code", new() { Exact = true }).FillAsync("040");
        await page.GetByLabel("Initiator", new() { Exact = true }).FillAsync("ISR");
        await page.GetByLabel("Target", new() { Exact = true }).FillAsync("EGY");
        await page.GetByLabel("Occurred on (YYYY, YYYY-MM or YYYY-MM-DD)", new() { Exact = true }).FillAsync("2021-05");
        await page.GetByLabel("Theatre", new() { Exact = true }).SelectOptionAsync("middle-east");
        await page.GetByLabel("Summary", new() { Exact = true }).FillAsync("Talks on a ceasefire in Gaza.");
        await page.GetByLabel("Source outlet", new() { Exact = true }).FillAsync("Example Wire");
        await page.GetByLabel("Source title", new() { Exact = true }).FillAsync("Talks held");
        await page.GetByLabel("Source URL", new() { Exact = true }).FillAsync("not a url");
        await page.GetByLabel("Source accessed (YYYY-MM-DD)", new() { Exact = true }).FillAsync("2021-05-20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();

        var url = page.GetByLabel("Source URL", new() { Exact = true });
        await Expect(url).ToHaveAttributeAsync("aria-invalid", "true");
        var message = page.Locator($"#{await url.GetAttributeAsync("aria-describedby")}");
        await Expect(message).ToContainTextAsync("must be an absolute http or https URL");
        await Expect(page.Locator("#record-result")).ToContainTextAsync("nothing was written");
        await BrowserFixture.ScreenshotAsync(page.Locator("#record"), "record-refused");
        Assert.Equal(before, await CountAsync(auditor, "ISR-EGY"));

        await url.FillAsync("https://example.org/talks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true }).ClickAsync();
        await Expect(page.Locator("#record-result")).ToContainTextAsync("Recorded: EGY-ISR event");
        await Expect(url).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(before + 1, await CountAsync(auditor, "ISR-EGY"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_service_key_sees_the_timeline_but_neither_the_record_form_nor_the_events_and_the_server_refuses_both()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Service));
        await Expect(page.Locator("#who-text")).ToContainTextAsync("service");
        await PickTurkeyRussiaAsync(page);
        await Expect(Row(page, "2022")).Not.ToHaveClassAsync("no-data");

        await Expect(page.Locator("#record")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Events in 2022" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "service-role");

        using var service = fixture.Node.As(LedgerRoles.Service);
        using var refused = await service.PostAsJsonAsync("/api/interactions", new { type = "talks-held" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var bucket = await service.GetAsync("/api/dyads/TUR-RUS/bucket?from=2022-01-01&to=2022-12-31");
        Assert.Equal(HttpStatusCode.Forbidden, bucket.StatusCode);
    }

    [Fact(Timeout = 180_000)]
    public async Task On_a_narrow_screen_the_timeline_and_its_table_fit_and_work()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Admin));
        await PickTurkeyRussiaAsync(page);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width} px wide on a 390 px screen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Events in 2020" }).ClickAsync();
        await Expect(page.Locator("#bucket-title")).ToHaveTextAsync("Events in 2020");
        await BrowserFixture.ScreenshotAsync(page, "narrow");
    }

    [Fact(Timeout = 180_000)]
    public async Task Across_theatres_2020_has_Syria_South_Caucasus_and_Black_Sea_series()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Service));
        await PickTurkeyRussiaAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Across theatres" }).ClickAsync();
        var table = page.Locator("#theatre-table");
        foreach (var theatre in new[] { "syria", "south-caucasus", "black-sea-ukraine" })
        {
            await Expect(table.Locator($"tr[data-theatre='{theatre}'] td[data-period='2020']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^-?\d+(\.\d+)? \(\d+\)$"));
            await Expect(page.Locator($"#theatre-charts figure[data-theatre='{theatre}'] canvas")).ToHaveCountAsync(1);
        }

        await Expect(table.Locator("tr[data-theatre='syria'] td[data-period='2016']")).ToHaveTextAsync("");
        var perTheatre = await table.Locator("td[data-period='2020']").AllTextContentsAsync();
        var events2020 = perTheatre.Where(t => t.Length > 0).Sum(t => int.Parse(t[(t.IndexOf('(') + 1)..^1], CultureInfo.InvariantCulture));
        Assert.Equal(Number(await Row(page, "2020").Locator("td.c0").TextContentAsync() ?? ""), events2020);
        await BrowserFixture.ScreenshotAsync(page.Locator("#compare"), "theatres");
    }

    [Fact(Timeout = 180_000)]
    public async Task What_if_under_the_two_bundled_models_shows_the_periods_that_differ()
    {
        // The bundled models differ on CAMEO 016, 022, 164 and 165 only, which no seed entry uses: record an appeal (022).
        using (var analyst = fixture.Node.As(LedgerRoles.Analyst))
        {
            using var recorded = await analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("IRN", "ISR", "022", "2021-06-01")));
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        }

        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Service));
        await page.GotoAsync("/?dyad=TUR-RUS");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare models" }).ClickAsync();
        await Expect(page.Locator("#diff-title")).ToHaveTextAsync("What-if: goldstein-gdelt@1 against goldstein-icews@1");
        await Expect(page.Locator("#diff-meta")).ToContainTextAsync("No period differs");

        await page.GotoAsync("/?dyad=IRN-ISR");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare models" }).ClickAsync();
        await Expect(page.Locator("#diff-meta")).ToHaveTextAsync("1 periods differ.");
        var moved = page.Locator("#diff-table tr[data-period='2021'] td.difference");
        await Expect(moved).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("moved"));
        Assert.Equal(3.4m - 3.2m, Number(await moved.TextContentAsync() ?? ""));
        await BrowserFixture.ScreenshotAsync(page.Locator("#compare"), "what-if");
    }

    private static async Task<int> CountAsync(HttpClient client, string dyad) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/events?dyad={dyad}&limit=1000")).GetProperty("events").GetArrayLength();
}
