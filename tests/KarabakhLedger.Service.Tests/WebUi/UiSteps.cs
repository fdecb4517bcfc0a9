using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KarabakhLedger.Service.Tests.WebUi;

/// <summary>What the web UI tests do again and again: sign in, pick TUR-RUS, read a row of the timeline's table.</summary>
public static class UiSteps
{
    public static async Task SignInAsync(IPage page, string secret, bool jwt = false)
    {
        await page.GotoAsync("/");
        if (jwt)
        {
            await page.GetByLabel("JWT bearer token").CheckAsync();
        }

        await page.GetByLabel("Key or token").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public static ILocator Row(IPage page, string period) => page.Locator($"#buckets tbody tr[data-period='{period}']");

    public static decimal Number(string text) => decimal.Parse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>Types "Turkey" and picks TUR-RUS from the offered dyads with the keyboard alone.</summary>
    public static async Task PickTurkeyRussiaAsync(IPage page)
    {
        var input = page.GetByRole(AriaRole.Combobox, new() { Name = "Dyad" });
        await input.FillAsync("Turkey");
        var listbox = page.GetByRole(AriaRole.Listbox, new() { Name = "Matching dyads" });
        await Expect(listbox.GetByRole(AriaRole.Option).Filter(new() { HasText = "TUR-RUS" })).ToBeVisibleAsync();
        var options = await listbox.GetByRole(AriaRole.Option).AllTextContentsAsync();
        Assert.All(options, o => Assert.StartsWith("TUR-", o, StringComparison.Ordinal));
        var index = options.ToList().FindIndex(o => o.StartsWith("TUR-RUS", StringComparison.Ordinal));
        for (var i = 0; i <= index; i++)
        {
            await input.PressAsync("ArrowDown");
        }

        await input.PressAsync("Enter");
        await Expect(page.Locator("#timeline-title")).ToContainTextAsync("RUS-TUR");
    }
}
