using System.Diagnostics;
using System.Globalization;
using KarabakhLedger.Benchmarks.Replay;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Sqlite;

namespace KarabakhLedger.Benchmarks.Cli;

/// <summary>
/// <c>cli</c>: wall time of the real <c>ledger</c> process (<c>dotnet ledger.dll</c>) for score, timeline, explain and
/// aggregate against <c>ledger events</c> on the same SQLite ledger, once the projections are current (issue 14,
/// docs/adr/0022-cli-queries-without-a-silo.md): on the seed corpus and on a synthetic Zipf ledger. The first query
/// of each ledger builds its projections in a silo (any left beside a reused ledger are deleted first) and is reported
/// on its own.
/// </summary>
internal static class CliBenchmark
{
    private static readonly string[] SqliteSuffixes = ["", "-wal", "-shm"];

    private const string Summary = """
        The real ledger CLI's score, timeline, explain and aggregate against `ledger events`, on the seed corpus
        and on a synthetic ledger, once its projections are current.
        """;

    private const string SiloLine = "Catching up the projections in a silo first";

    public static async Task<int> RunAsync(string[] args)
    {
        var events = 100_000;
        var reps = 5;
        string? ledger = null;
        string? markdown = null;
        var arguments = new BenchmarkArguments("cli", Summary)
            .Whole("--events", "events in the synthetic ledger (default 100000)", 1, n => events = n)
            .Text("--ledger", "PATH", "the synthetic ledger file (reused if it holds N events; default: a temporary file)", v => ledger = v)
            .Whole("--reps", "timed runs of each command, interleaved (default 5)", 1, n => reps = n)
            .Text("--markdown", "FILE", "also write the result table to FILE", v => markdown = v);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        var directory = Directory.CreateTempSubdirectory("karabakh-cli-bench-").FullName;
        var lines = new List<string>();
        foreach (var (name, value) in Machine.Describe())
        {
            lines.Add($"- {name}: {value}");
        }

        var seed = Path.Combine(directory, "seed.db");
        Require(await LedgerAsync(["seed", "--store", seed]), "seed");
        lines.AddRange(await MeasureAsync("seed corpus", seed, new Dyad("TUR", "UKR"), reps));

        var synthetic = ledger ?? Path.Combine(directory, "synthetic.db");
        var busiest = await SyntheticAsync(synthetic, events);
        lines.AddRange(await MeasureAsync($"synthetic Zipf ledger of {events:N0} events", synthetic, busiest, reps));
        lines.Add($"- Load average at end: {Machine.LoadAverage()}");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        if (markdown is not null)
        {
            await File.WriteAllLinesAsync(markdown, lines);
        }

        Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>Builds the projections with a first query, then times every command <paramref name="reps"/> times, interleaved.</summary>
    private static async Task<IEnumerable<string>> MeasureAsync(string label, string store, Dyad dyad, int reps)
    {
        var projections = Projections.Storage.SqliteSnapshotStore.PathBesideLedger(store);
        foreach (var file in SqliteSuffixes.Select(suffix => projections + suffix).Where(File.Exists))
        {
            File.Delete(file);
        }

        var first = await LedgerAsync(["score", dyad.Key, "--json", "--store", store]);
        Require(first, "first score");
        if (!first.Error.Contains(SiloLine, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The first query of a new ledger did not catch up in a silo: {first.Error}");
        }

        string[][] commands =
        [
            ["events"],
            ["events", "--dyad", dyad.Key],
            ["score", dyad.Key],
            ["score", dyad.Key, "--json"],
            ["timeline", dyad.Key, "--bucket", "quarter"],
            ["explain", dyad.Key, "--json"],
            ["aggregate", "--dyad", dyad.Key, "--bucket", "year"],
        ];
        var times = commands.Select(_ => new List<double>()).ToArray();
        for (var rep = 0; rep < reps; rep++)
        {
            for (var c = 0; c < commands.Length; c++)
            {
                var run = await LedgerAsync([.. commands[c], "--store", store]);
                Require(run, string.Join(' ', commands[c]));
                if (run.Error.Contains(SiloLine, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{string.Join(' ', commands[c])} started a silo on current projections: {run.Error}");
                }

                times[c].Add(run.Seconds);
            }
        }

        var events = Median(times[0]);
        var result = new List<string>
        {
            "",
            $"{label}, dyad {dyad.Key}; first query (projections built in a silo): {first.Seconds:F2} s; load average {Machine.LoadAverage()}",
            "",
            "| command | median (s) | min (s) | × `ledger events` | × `ledger events --dyad` |",
            "|---|---:|---:|---:|---:|",
        };
        for (var c = 0; c < commands.Length; c++)
        {
            var median = Median(times[c]);
            result.Add(string.Create(CultureInfo.InvariantCulture,
                $"| `ledger {string.Join(' ', commands[c])}` | {median:F2} | {times[c].Min():F2} | {median / events:F2} | {median / Median(times[1]):F2} |"));
        }

        return result;
    }

    /// <summary>The synthetic ledger at <paramref name="path"/> (loaded unless it holds <paramref name="events"/> events) and its busiest dyad.</summary>
    private static async Task<Dyad> SyntheticAsync(string path, int events)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        var head = await store.GetHeadPositionAsync();
        if (head == 0)
        {
            await new SyntheticLedger(DyadDistribution.Zipf).LoadAsync(store, events, 1000, "sqlite");
        }
        else if (head < events)
        {
            throw new InvalidOperationException($"{path} holds {head:N0} events, fewer than the {events:N0} asked for: delete it or ask for fewer.");
        }

        var perStream = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var e in store.ReadAllAsync())
        {
            perStream[e.StreamId] = perStream.GetValueOrDefault(e.StreamId) + 1;
        }

        Dyad.TryFromStreamId(perStream.MaxBy(s => s.Value).Key, out var busiest);
        return busiest;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Require(Run run, string what)
    {
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ledger {what} failed with exit code {run.ExitCode}: {run.Error}");
        }
    }

    /// <summary>Runs <c>dotnet ledger.dll ARGS</c> to its end, discarding standard output; its wall time from start to exit.</summary>
    private static async Task<Run> LedgerAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ledger.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        return new Run(process.ExitCode, await error, watch.Elapsed.TotalSeconds);
    }

    private sealed record Run(int ExitCode, string Error, double Seconds);
}
