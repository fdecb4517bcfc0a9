using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Playwright;
using static KarabakhLedger.Service.Tests.WebUi.UiSteps;
using static Microsoft.Playwright.Assertions;

namespace KarabakhLedger.Service.Tests.WebUi;

/// <summary>
/// Change over transaction time, in Debian's Chromium: "what changed since" an earlier known-at time (periods that
/// moved, events recorded, corrected and retracted in between), and live marking of the periods a score change on
/// the SSE stream revised. Each test records on a dyad of its own that the seed does not hold.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ChangesUiTests(BrowserFixture fixture)
{
    private static async Task<(Guid EventId, long Position)> SendAsync(HttpClient analyst, string path, string body)
    {
        using var response = await analyst.PostAsync(path, Bodies.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var recorded = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events")[0];
        return (recorded.GetProperty("eventId").GetGuid(), recorded.GetProperty("position").GetInt64());
    }

    private static async Task<DateTimeOffset> RecordedAtAsync(HttpClient auditor, Guid eventId) =>
        (await auditor.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}")).GetProperty("recordedAt").GetDateTimeOffset();

    [GeneratedRegex(@"\brevised\b")]
    private static partial Regex Revised();

    [Fact(Timeout = 180_000)]
    public async Task What_changed_since_lists_the_periods_that_moved_and_the_events_recorded_corrected_and_retracted_in_between()
    {
        using var analyst = fixture.Node.As(LedgerRoles.Analyst);
        using var auditor = fixture.Node.As(LedgerRoles.Auditor);
        var (talks2020, _) = await SendAsync(analyst, "/api/interactions", Bodies.Interaction("GEO", "MDA", "036", "2020-05-04"));
        var (talks2021, _) = await SendAsync(analyst, "/api/interactions", Bodies.Interaction("GEO", "MDA", "036", "2021-05-04"));
        // One microsecond after the last event before: the view's "since".
        var since = (await RecordedAtAsync(auditor, talks2021)).AddTicks(10);
        var (talks2022, _) = await SendAsync(analyst, "/api/interactions", Bodies.Interaction("GEO", "MDA", "036", "2022-01-20"));
        var (correction, _) = await SendAsync(analyst, "/api/corrections", Bodies.Correction(talks2020, "GEO", "MDA", "036"));
        var (retraction, _) = await SendAsync(analyst, "/api/retractions", Bodies.Retraction(talks2021));
        Assert.True(await RecordedAtAsync(auditor, talks2022) > since, "the events after 'since' were recorded later than it");

        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Auditor));
        await page.GotoAsync("/?dyad=GEO-MDA");
        // Now only 2022 counts: the 2020 talks were corrected into 2022-03-10 and the 2021 talks retracted.
        await Expect(page.Locator("#buckets tbody tr").First).ToHaveAttributeAsync("data-period", "2022");
        await Expect(Row(page, "2022").Locator("td.c0")).ToHaveTextAsync("2");
        await page.GetByLabel("What changed since (known at)").FillAsync(since.ToString("O", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show changes" }).ClickAsync();

        await Expect(page.Locator("#moved-meta")).ToHaveTextAsync("3 periods moved.");
        var moved = page.Locator("#moved-table tbody tr");
        await Expect(moved).ToHaveCountAsync(3);
        foreach (var (period, before, after) in new[] { ("2020", "1", "0"), ("2021", "1", "0"), ("2022", "0", "2") })
        {
            var row = page.Locator($"#moved-table tbody tr[data-period='{period}']");
            await Expect(row.Locator("td.before-events")).ToHaveTextAsync(before);
            await Expect(row.Locator("td.after-events")).ToHaveTextAsync(after);
        }

        await Expect(page.Locator("#changed-meta")).ToHaveTextAsync("3 events recorded in between: 1 recorded, 1 corrected, 1 retracted.");
        var events = page.Locator("#changed-table tbody tr");
        await Expect(events).ToHaveCountAsync(3);
        await Expect(page.Locator($"#changed-table tr[data-event='{talks2022}']")).ToHaveAttributeAsync("data-kind", "recorded");
        await Expect(page.Locator($"#changed-table tr[data-event='{correction}']")).ToHaveAttributeAsync("data-kind", "corrected");
        await Expect(page.Locator($"#changed-table tr[data-event='{correction}']")).ToContainTextAsync(talks2020.ToString()[..8]);
        await Expect(page.Locator($"#changed-table tr[data-event='{retraction}']")).ToHaveAttributeAsync("data-kind", "retracted");
        await Expect(page.Locator($"#changed-table tr[data-event='{retraction}']")).ToContainTextAsync(talks2021.ToString()[..8]);
        await BrowserFixture.ScreenshotAsync(page.Locator("#compare"), "what-changed");

        // A service key sees the periods that moved but not the events (it may not audit).
        var service = await fixture.NewPageAsync();
        await SignInAsync(service, TestAuth.ApiKey(LedgerRoles.Service));
        await service.GotoAsync("/?dyad=GEO-MDA");
        await service.GetByLabel("What changed since (known at)").FillAsync(since.ToString("O", CultureInfo.InvariantCulture));
        await service.GetByRole(AriaRole.Button, new() { Name = "Show changes" }).ClickAsync();
        await Expect(service.Locator("#moved-table tbody tr")).ToHaveCountAsync(3);
        await Expect(service.Locator("#changed-events")).ToBeHiddenAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task A_score_change_on_the_stream_marks_the_period_it_revised_with_its_cause()
    {
        using var analyst = fixture.Node.As(LedgerRoles.Analyst);
        await SendAsync(analyst, "/api/interactions", Bodies.Interaction("KAZ", "UZB", "036", "2020-05-04"));

        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Service));
        await page.GotoAsync("/?dyad=KAZ-UZB");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Live: following score changes.");
        await Expect(Row(page, "2021")).ToHaveClassAsync("no-data");

        var (_, position) = await SendAsync(analyst, "/api/interactions", Bodies.Interaction("KAZ", "UZB", "036", "2021-06-01"));
        await Expect(Row(page, "2021")).ToHaveClassAsync(Revised());
        await Expect(Row(page, "2021").Locator(".revised-note")).ToHaveTextAsync($" revised: talks-held (position {position})");
        await Expect(Row(page, "2021").Locator("td.c0")).ToHaveTextAsync("1");
        await Expect(page.Locator("#live-log li")).ToHaveTextAsync([$"talks-held (position {position}): 2021"]);
        await Expect(Row(page, "2020")).Not.ToHaveClassAsync(Revised());
        await BrowserFixture.ScreenshotAsync(page.Locator("#timeline"), "live-revised");

        // A view known at a fixed time does not change: it is not followed.
        await page.GotoAsync("/?dyad=KAZ-UZB&knownAt=2099-01-01");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("Live updates off: the view is known at a fixed time.");
    }
}
