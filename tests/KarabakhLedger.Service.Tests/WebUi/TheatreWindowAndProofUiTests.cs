using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Playwright;
using static KarabakhLedger.Service.Tests.WebUi.UiSteps;
using static Microsoft.Playwright.Assertions;

namespace KarabakhLedger.Service.Tests.WebUi;

/// <summary>
/// In Debian's Chromium on the seed: selecting an event of the cross-theatre view highlights the events of the other
/// theatres within ±N days; pinned dyads survive a reload; the derivation shows an event's inclusion proof checked
/// against the node's signed checkpoint, and a tampered proof is caught.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TheatreWindowAndProofUiTests(BrowserFixture fixture)
{
    private sealed record Counted(string EventId, string OccurredOn, string Theatre);

    /// <summary>The events of other theatres whose effective day (a partial date's last day) is within ±days of the selected event's days.</summary>
    private static HashSet<string> Near(IEnumerable<Counted> all, Counted selected, int days)
    {
        var date = PartialDate.Parse(selected.OccurredOn);
        var (from, to) = (date.Start.AddDays(-days), date.End.AddDays(days));
        return all.Where(c => c.Theatre != selected.Theatre)
            .Where(c => PartialDate.Parse(c.OccurredOn).End is var day && day >= from && day <= to)
            .Select(c => c.EventId)
            .ToHashSet();
    }

    private static async Task<HashSet<string>> HighlightedAsync(ILocator items)
    {
        var ids = new HashSet<string>();
        foreach (var item in await items.AllAsync())
        {
            ids.Add(await item.GetAttributeAsync("data-event") ?? "");
        }

        return ids;
    }

    [Fact(Timeout = 180_000)]
    public async Task Selecting_an_event_across_theatres_highlights_the_other_theatres_events_within_the_window()
    {
        using var auditor = fixture.Node.As(LedgerRoles.Auditor);
        var around = await auditor.GetFromJsonAsync<JsonElement>("/api/dyads/TUR-RUS/bucket?from=2019-01-01&to=2021-12-31&limit=1000");
        var counted = around.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("contribution"))
            .Select(c => new Counted(c.GetProperty("eventId").GetString()!, c.GetProperty("occurredOn").GetString()!, c.GetProperty("theatre").GetString()!))
            .ToList();
        // The Syria event of 2020 with the most near events in other theatres at ±30 days: the window must matter.
        var selected = counted.Where(c => c.Theatre == "syria" && c.OccurredOn.StartsWith("2020", StringComparison.Ordinal))
            .OrderByDescending(c => Near(counted, c, 30).Count - Near(counted, c, 0).Count).First();
        var near30 = Near(counted, selected, 30);
        var near0 = Near(counted, selected, 0);
        Assert.NotEmpty(near30);
        Assert.NotEqual(near30.Count, near0.Count);

        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Auditor));
        await page.GotoAsync("/?dyad=TUR-RUS");
        await page.GetByRole(AriaRole.Button, new() { Name = "Across theatres" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Events in 2020 by theatre" }).ClickAsync();
        var columns = page.Locator("#theatre-columns");
        var item = columns.Locator($"section[data-theatre='syria'] li[data-event='{selected.EventId}']");
        await item.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(item).ToHaveClassAsync("selected");
        await Expect(page.Locator("#near-title")).ToContainTextAsync($"{near30.Count} events in other theatres within ±30 days of {selected.OccurredOn}");
        Assert.Equal(near30, await HighlightedAsync(page.Locator("#near-list li")));
        var shown2020 = counted.Where(c => c.OccurredOn.StartsWith("2020", StringComparison.Ordinal)).Select(c => c.EventId).ToHashSet();
        Assert.Equal(near30.Intersect(shown2020).ToHashSet(), await HighlightedAsync(columns.Locator("li.near")));
        await Expect(columns.Locator("section[data-theatre='syria'] li.near")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page.Locator("#theatres"), "theatre-window");

        await page.GetByLabel("Window (± days)").FillAsync("0");
        await item.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Locator("#near-title")).ToContainTextAsync($"{near0.Count} events in other theatres within ±0 days");
        Assert.Equal(near0, await HighlightedAsync(page.Locator("#near-list li")));
        Assert.Equal(near0.Intersect(shown2020).ToHashSet(), await HighlightedAsync(columns.Locator("li.near")));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_pinned_dyad_stays_pinned_across_reloads_and_opens_from_its_button_until_unpinned()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Service));
        await page.GotoAsync("/?dyad=TUR-RUS");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pin RUS-TUR" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unpin RUS-TUR" })).ToHaveAttributeAsync("aria-pressed", "true");

        await page.GotoAsync("/?dyad=ARM-AZE");
        await Expect(page.Locator("#timeline-title")).ToContainTextAsync("ARM-AZE");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pin ARM-AZE" })).ToHaveAttributeAsync("aria-pressed", "false");
        var pinned = page.Locator("#pinned").GetByRole(AriaRole.Button);
        await Expect(pinned).ToHaveTextAsync(["RUS-TUR"]);
        await pinned.ClickAsync();
        await Expect(page.Locator("#timeline-title")).ToContainTextAsync("RUS-TUR");

        await page.GetByRole(AriaRole.Button, new() { Name = "Unpin RUS-TUR" }).ClickAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("#timeline-title")).ToContainTextAsync("RUS-TUR");
        await Expect(page.Locator("#pinned").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact(Timeout = 180_000)]
    public async Task The_derivation_shows_an_inclusion_proof_verified_against_the_signed_checkpoint_and_catches_a_tampered_one()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Auditor));
        await page.GotoAsync("/?dyad=TUR-RUS&period=2022");
        await page.GetByRole(AriaRole.Button, new() { Name = "How was this derived" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Inclusion proof of straits-closed on 2022" }).ClickAsync();
        await Expect(page.Locator("#proof-result")).ToContainTextAsync("Verified: the path leads to the root of the checkpoint");
        await Expect(page.Locator("#checkpoint-text")).ToContainTextAsync("karabakh-ledger checkpoint v1");
        using var auditor = fixture.Node.As(LedgerRoles.Auditor);
        var checkpoint = await auditor.GetStringAsync("/api/checkpoints/latest");
        var root = checkpoint.Split('\n').Single(l => l.StartsWith("root ", StringComparison.Ordinal))[5..];
        await Expect(page.Locator("#proof-root")).ToHaveTextAsync(root);
        await BrowserFixture.ScreenshotAsync(page.Locator("#derivation"), "proof");

        // The same proof with one sibling hash changed on its way to the browser: the path no longer leads to the root.
        await page.RouteAsync("**/api/events/*/proof**", async route =>
        {
            var response = await route.FetchAsync();
            var proof = JsonNode.Parse(await response.TextAsync())!;
            var first = proof["path"]![0]!.GetValue<string>();
            proof["path"]![0] = (first[0] == '0' ? "1" : "0") + first[1..];
            await route.FulfillAsync(new() { Response = response, Body = proof.ToJsonString() });
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Inclusion proof of straits-closed on 2022" }).ClickAsync();
        await Expect(page.Locator("#proof-result")).ToContainTextAsync("Does not match: the path leads to ");
        await Expect(page.Locator("#proof-result")).ToContainTextAsync($"the checkpoint's root is {root}");
    }
}
