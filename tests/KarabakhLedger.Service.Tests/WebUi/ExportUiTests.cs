using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Playwright;
using static KarabakhLedger.Service.Tests.WebUi.UiSteps;
using static Microsoft.Playwright.Assertions;

namespace KarabakhLedger.Service.Tests.WebUi;

/// <summary>
/// Export of what is on screen, in Debian's Chromium: the timeline and the derivation as CSV and JSON carry the API's
/// own numbers (checked against the API, period by period and entry by entry), the chart as a PNG and an SVG whose
/// marks carry the same values, with no data where the API counts nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExportUiTests(BrowserFixture fixture)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static async Task<(string Name, string Path)> DownloadAsync(IPage page, string button)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync());
        return (download.SuggestedFilename, await download.PathAsync());
    }

    private static decimal Decimal(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    [Fact(Timeout = 180_000)]
    public async Task The_timeline_exports_as_CSV_and_JSON_with_the_API_s_numbers_and_the_chart_as_PNG_and_SVG()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Admin));
        await page.GotoAsync("/?dyad=TUR-RUS");
        await Expect(Row(page, "2022")).ToBeVisibleAsync();
        using var service = fixture.Node.As(LedgerRoles.Service);
        var api = await service.GetFromJsonAsync<JsonElement>("/api/dyads/TUR-RUS/timeline");
        var points = api.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal("2015", points[0].GetProperty("label").GetString());

        var (csvName, csvPath) = await DownloadAsync(page, "Export the timeline as CSV");
        Assert.StartsWith("RUS-TUR-timeline-year-", csvName, StringComparison.Ordinal);
        Assert.EndsWith(".csv", csvName, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(csvPath);
        Assert.Equal("dyad,provenance,period,start,end,events,cooperation,conflict,net,status,model,asOf,knownAt", lines[0]);
        Assert.Equal(points.Count + 1, lines.Length);
        foreach (var (line, point) in lines.Skip(1).Zip(points))
        {
            var cells = line.Split(',');
            Assert.Equal(["RUS-TUR", "curated", point.GetProperty("label").GetString()!], cells[..3]);
            var events = point.GetProperty("events").GetInt32();
            Assert.Equal(events, int.Parse(cells[5], CultureInfo.InvariantCulture));
            Assert.Equal(point.GetProperty("cooperation").GetDecimal(), Decimal(cells[6]));
            Assert.Equal(point.GetProperty("conflict").GetDecimal(), Decimal(cells[7]));
            Assert.Equal(point.GetProperty("net").GetDecimal(), Decimal(cells[8]));
            Assert.Equal(events == 0 ? "no data" : "", cells[9]);
            Assert.Equal("goldstein-gdelt@1", cells[10]);
        }

        var empty = lines.Skip(1).Where(l => l.Split(',')[9] == "no data").Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(["2016", "2017", "2018", "2019"], empty.Where(y => string.CompareOrdinal(y, "2022") < 0));

        var (_, jsonPath) = await DownloadAsync(page, "Export the timeline as JSON");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath));
        Assert.Equal("RUS-TUR", json.RootElement.GetProperty("dyad").GetString());
        var exported = json.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(points.Select(p => (p.GetProperty("label").GetString(), p.GetProperty("events").GetInt32(), p.GetProperty("net").GetDecimal())),
            exported.Select(p => (p.GetProperty("label").GetString(), p.GetProperty("events").GetInt32(), p.GetProperty("net").GetDecimal())));

        var (pngName, pngPath) = await DownloadAsync(page, "Export the chart as PNG");
        Assert.EndsWith(".png", pngName, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(pngPath);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        Assert.True(width >= 280, $"the PNG is {width} px wide");

        var (_, svgPath) = await DownloadAsync(page, "Export the chart as SVG");
        var svg = XDocument.Load(svgPath);
        Assert.Contains("RUS-TUR", svg.Root!.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        IReadOnlyDictionary<string, decimal> Marks(string name, string cls) => svg.Descendants(Svg + name)
            .Where(e => (string?)e.Attribute("class") == cls)
            .ToDictionary(e => (string)e.Attribute("data-period")!, e => Decimal((string)e.Attribute("data-value")!));
        var counted = points.Where(p => p.GetProperty("events").GetInt32() > 0).ToList();
        Assert.Equal(counted.ToDictionary(p => p.GetProperty("label").GetString()!, p => p.GetProperty("net").GetDecimal()), Marks("circle", "net"));
        Assert.Equal(counted.ToDictionary(p => p.GetProperty("label").GetString()!, p => p.GetProperty("cooperation").GetDecimal()), Marks("rect", "cooperation"));
        Assert.Equal(counted.ToDictionary(p => p.GetProperty("label").GetString()!, p => p.GetProperty("conflict").GetDecimal()), Marks("rect", "conflict"));
        // The net line is broken at the years with no data: 2015 alone, then 2020–2022 (the years after hold none).
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count(e => (string?)e.Attribute("class") == "net"));
    }

    [Fact(Timeout = 180_000)]
    public async Task The_derivation_exports_as_CSV_and_JSON_with_every_counted_interaction_the_API_gives()
    {
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, TestAuth.ApiKey(LedgerRoles.Auditor));
        await page.GotoAsync("/?dyad=TUR-RUS");
        await page.GetByRole(AriaRole.Button, new() { Name = "Events in 2022" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "How was this derived" }).ClickAsync();
        await Expect(page.Locator("#derivation-meta")).ToContainTextAsync("goldstein-gdelt@1");
        using var auditor = fixture.Node.As(LedgerRoles.Auditor);
        var api = await auditor.GetFromJsonAsync<JsonElement>("/api/dyads/TUR-RUS/bucket?from=2022-01-01&to=2022-12-31&limit=1000");
        var entries = api.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("contribution")).ToList();
        Assert.Equal(api.GetProperty("total").GetInt32(), entries.Count);

        var (name, csvPath) = await DownloadAsync(page, "Export the derivation as CSV");
        Assert.Equal("RUS-TUR-derivation-2022-01-01-2022-12-31.csv", name);
        var lines = await File.ReadAllLinesAsync(csvPath);
        Assert.Equal("dyad,from,to,eventId,occurredOn,type,cameoCode,direction,theatre,weight,ageDays,decayFactor,value,hash", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal(14, r.Length));
        Assert.Equal(entries.Select(e => (e.GetProperty("eventId").GetString(), e.GetProperty("weight").GetDecimal(), e.GetProperty("value").GetDecimal())),
            rows.Select(r => ((string?)r[3], Decimal(r[9]), Decimal(r[12]))));
        Assert.Equal(api.GetProperty("net").GetDecimal(), rows.Sum(r => Decimal(r[9])));
        Assert.Contains(rows, r => r[5] == "straits-closed");

        var (_, jsonPath) = await DownloadAsync(page, "Export the derivation as JSON");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath));
        Assert.Equal(api.GetProperty("digest").GetString(), json.RootElement.GetProperty("digest").GetString());
        Assert.Equal(api.GetProperty("net").GetDecimal(), json.RootElement.GetProperty("net").GetDecimal());
        Assert.Equal(entries.Count, json.RootElement.GetProperty("entries").GetArrayLength());
    }
}
