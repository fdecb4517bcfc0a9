using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Benchmarks.Replay;
using KarabakhLedger.Benchmarks.Service;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Service.Security;
using Microsoft.Playwright;

namespace KarabakhLedger.Benchmarks.WebUi;

/// <summary>
/// <c>webui</c>: how long the analyst's page takes to open the timeline of a dyad with 100,000 events (issue 13's
/// target: under 1 s), in Debian's Chromium driven by Playwright against an in-process node on a SQLite ledger.
/// Beside it, the same timeline request from .NET alone (the raw baseline of the same run), so the page's own
/// share is the difference.
/// </summary>
internal static class WebUiBenchmark
{
    private const string Summary = """
        Opens the timeline of one dyad holding N synthetic events in Chromium (by month and by year) and times
        it from navigation until the table of periods is drawn, against the same API request from .NET.
        """;

    private sealed record Row(string Name, IReadOnlyList<double> Milliseconds);

    public static async Task<int> RunAsync(string[] args)
    {
        var events = 100_000;
        var reps = 5;
        var chromium = Environment.GetEnvironmentVariable("LEDGER_TEST_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        string? markdown = null;
        var arguments = new BenchmarkArguments("webui", Summary)
            .Whole("--events", "events in the dyad (default 100000)", 1, n => events = n)
            .Whole("--reps", "timed repetitions per measurement (default 5, after one warm-up)", 1, n => reps = n)
            .Text("--chromium", "PATH", "the browser (default: LEDGER_TEST_CHROMIUM, else /usr/bin/chromium)", v => chromium = v)
            .Text("--markdown", "FILE", "also write the result table to FILE", v => markdown = v);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        if (!File.Exists(chromium))
        {
            throw new BenchmarkArgumentException($"no Chromium at {chromium}: apt-get install chromium, or pass --chromium PATH.");
        }

        foreach (var (name, value) in Machine.Describe())
        {
            Console.WriteLine($"{name}: {value}");
        }

        var work = Directory.CreateTempSubdirectory("bench-webui-");
        try
        {
            var dyad = ActorRegistry.Default.ResolveDyad("GEO-KAZ");
            var path = Path.Combine(work.FullName, "ledger.db");
            await using (var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System))
            {
                await new SyntheticLedger(DyadDistribution.Uniform, only: [dyad]).LoadAsync(store, events, 1000, dyad.Key);
            }

            // A node's start catches the projections up with the whole ledger: minutes for 100,000 events of one dyad on a busy machine.
            var starting = Stopwatch.StartNew();
            await using var node = await BenchNode.StartAsync(path, null, TimeSpan.FromMinutes(15));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  node started in {starting.Elapsed.TotalSeconds:F0} s"));
            using var client = node.Client(LedgerRoles.Service, TimeSpan.FromMinutes(10));
            var rows = new List<Row>();
            var expected = new Dictionary<string, string>();
            foreach (var bucket in new[] { "month", "year" })
            {
                var url = $"/api/dyads/{dyad.Key}/timeline?bucket={bucket}";
                var watch = Stopwatch.StartNew();
                var first = await FirstAnswerAsync(client, url);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first {bucket} timeline (projection catching up): {watch.Elapsed.TotalMilliseconds:F0} ms"));
                using var answer = JsonDocument.Parse(first);
                var points = answer.RootElement.GetProperty("points").EnumerateArray().ToList();
                expected[bucket] = $"{dyad.Key}: {points.Count} periods, {points.Sum(p => p.GetProperty("events").GetInt32())} counted events.";
                Console.WriteLine($"  {expected[bucket]}");
                rows.Add(new Row($"API only: GET timeline by {bucket} (.NET client)", await TimeAsync(reps, () => client.GetStringAsync(url))));
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, BaseURL = node.Address.ToString() });
            var credential = JsonSerializer.Serialize(new { kind = "key", secret = BenchNode.ApiKey(LedgerRoles.Service) });
            await context.AddInitScriptAsync($"sessionStorage.setItem('karabakh-ledger.credential', {JsonSerializer.Serialize(credential)});");
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(120_000);
            foreach (var bucket in new[] { "month", "year" })
            {
                rows.Add(new Row($"Page: open /?dyad={dyad.Key}&bucket={bucket} until the table is drawn", await TimeAsync(reps, async () =>
                {
                    await page.GotoAsync($"/?dyad={dyad.Key}&bucket={bucket}");
                    await page.Locator("#status").GetByText(expected[bucket], new() { Exact = true }).WaitForAsync();
                })));
            }

            var other = new Dictionary<string, string> { ["month"] = "year", ["year"] = "month" };
            foreach (var bucket in new[] { "month", "year" })
            {
                rows.Add(new Row($"Page: switch to {bucket} and Show (fetch and draw, page loaded)", await TimeAsync(reps, async () =>
                {
                    await page.Locator("#bucket").SelectOptionAsync(bucket);
                    await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
                    await page.Locator("#status").GetByText(expected[bucket], new() { Exact = true }).WaitForAsync();
                    await page.Locator("#bucket").SelectOptionAsync(other[bucket]);
                    await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
                    await page.Locator("#status").GetByText(expected[other[bucket]], new() { Exact = true }).WaitForAsync();
                }, halve: true)));
            }

            var table = Table(rows, events);
            Console.WriteLine(table);
            Console.WriteLine($"Load average at end: {Machine.LoadAverage()}");
            if (markdown is not null)
            {
                await File.WriteAllTextAsync(markdown, table + $"{Environment.NewLine}Load average at end: {Machine.LoadAverage()}{Environment.NewLine}");
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The first answer to <paramref name="url"/>: while the dyad's grain is still applying the ledger, a query can
    /// outlast Orleans' 30 s call timeout and be answered 500; it is asked again until it answers (at most 15 minutes).
    /// </summary>
    private static async Task<string> FirstAnswerAsync(HttpClient client, string url)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadAsStringAsync();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {url}: {(int)response.StatusCode} after {deadline.Elapsed.TotalSeconds:F0} s, asking again"));
            if (deadline.Elapsed > TimeSpan.FromMinutes(15))
            {
                response.EnsureSuccessStatusCode();
            }
        }
    }

    /// <summary>One warm-up, then <paramref name="reps"/> timed runs in milliseconds (halved when a run does the thing twice).</summary>
    private static async Task<IReadOnlyList<double>> TimeAsync(int reps, Func<Task> run, bool halve = false)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds / (halve ? 2 : 1));
        }

        return times;
    }

    private static string Table(IReadOnlyList<Row> rows, int events)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Timeline of one dyad with {events:N0} events; milliseconds over the repetitions (after one warm-up).");
        text.AppendLine();
        text.AppendLine("| measurement | median ms | min ms | max ms |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            var sorted = row.Milliseconds.Order().ToList();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Name} | {sorted[sorted.Count / 2]:F0} | {sorted[0]:F0} | {sorted[^1]:F0} |"));
        }

        return text.ToString();
    }
}
