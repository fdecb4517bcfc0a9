using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Feed;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orleans.Runtime;

namespace KarabakhLedger.Benchmarks.Replay;

internal sealed class ReplayOptions
{
    public long Events { get; set; } = 1_000_000;

    public string? Postgres { get; set; }

    public long PostgresEvents { get; set; } = 100_000;

    public bool SkipSqlite { get; set; }

    public string? Ledger { get; set; }

    public string? WorkDirectory { get; set; }

    public int AppendSize { get; set; } = 1000;

    public DyadDistribution Distribution { get; set; } = DyadDistribution.Uniform;

    public int Actors { get; set; } = SyntheticLedger.DefaultActors;

    public int ReadRepetitions { get; set; } = 3;

    public bool SkipFold { get; set; }

    public bool SkipReplay { get; set; }

    public string ReplayModel { get; set; } = "goldstein-icews@1";

    public int? BatchSize { get; set; }

    public int? CatchUpBatchSize { get; set; }

    public int? SnapshotMinEvents { get; set; }

    public double? SnapshotGrowth { get; set; }

    public string? Markdown { get; set; }

    public bool KeepSchemas { get; set; }

    public bool NoWarmUp { get; set; }

    public bool GateSnapshotWrites { get; set; }

    public bool SkipCluster { get; set; }
}

/// <summary>
/// Issue 4: how fast the projections are built from the ledger (the live feed's initial build, and a blue/green
/// replay under another model) against reading the same events sequentially through the store port, with memory.
/// </summary>
internal sealed class ReplayBenchmark(ReplayOptions options)
{
    private static readonly string[] SnapshotFileSuffixes = ["", "-wal"];

    private const string Summary = """
        Builds a ledger of synthetic (real, deserializable) interaction events over every dyad of the actor
        registry, reads it sequentially through the store port (with and without deserializing), then starts an
        in-process Orleans silo on it with a fresh snapshot store and times the live feed's initial build
        (start + CatchUpAsync) and a blue/green ReplayAsync, with CPU, allocations, peak RSS and GC heap per phase.
        """;

    private static readonly ScoreQuery Query = new(new DateOnly(2025, 6, 30), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private readonly List<(string Name, string Value)> _facts = [];
    private readonly StringBuilder _results = new();

    public static async Task<int> MainAsync(string[] args)
    {
        var options = new ReplayOptions();
        var arguments = new BenchmarkArguments("replay", Summary)
            .Whole("--events", "events in the SQLite ledger (default 1000000)", 1L, n => options.Events = n)
            .Text("--postgres", "CONNSTR", "also measure on PostgreSQL (MartenLedgerStore + PostgresSnapshotStore) with --pg-events events, in schemas bench_replay_* (created and dropped)", v => options.Postgres = v)
            .Whole("--pg-events", "events in the PostgreSQL ledger (default 100000)", 1L, n => options.PostgresEvents = n)
            .Flag("--skip-sqlite", "PostgreSQL only", () => options.SkipSqlite = true)
            .Text("--ledger", "FILE", "SQLite ledger file to use and keep: loaded if missing or short of N events, else reused as is (the load takes minutes at 1M events)", v => options.Ledger = v)
            .Text("--dir", "DIR", "where the temporary ledger and snapshot files go (default: the temp folder)", v => options.WorkDirectory = v)
            .Whole("--append-size", "events per AppendAsync while loading (default 1000)", 1, n => options.AppendSize = n)
            .Choice<DyadDistribution>("--distribution", "D", "how events fall on the dyads: uniform (default) or zipf", d => options.Distribution = d)
            .Whole("--actors", "the dyads are every pair of the registry's first N actors by code (default 44: 946 dyads; 211: 22,155); a reused --ledger keeps the dyads it was loaded with", 2, n => options.Actors = n)
            .Whole("--read-reps", "timed repetitions of each raw read (default 3, after one warm-up)", 1, n => options.ReadRepetitions = n)
            .Flag("--skip-fold", "skip the in-memory fold (read + deserialize + DyadEvents, no Orleans)", () => options.SkipFold = true)
            .Flag("--skip-replay", "initial build only, no ReplayAsync", () => options.SkipReplay = true)
            .Flag("--skip-cluster", "raw reads and in-memory fold only, no Orleans", () => options.SkipCluster = true)
            .Text("--model", "KEY", "the replay's model (default goldstein-icews@1)", v => options.ReplayModel = v)
            .Whole("--batch-size", "LedgerProjectionOptions.BatchSize (default: the production default, 512)", 1, n => options.BatchSize = n)
            .Whole("--catch-up-batch-size", "LedgerProjectionOptions.CatchUpBatchSize (default: the production default, 4096)", 1, n => options.CatchUpBatchSize = n)
            .Whole("--snapshot-min", "LedgerProjectionOptions.SnapshotMinEvents (default 64)", 0, n => options.SnapshotMinEvents = n)
            .Number("--snapshot-growth", "X", "LedgerProjectionOptions.SnapshotGrowth (default 0.25)", 0, x => options.SnapshotGrowth = x)
            .Flag("--gate-snapshot-writes", "experiment: let one snapshot write at a time reach the snapshot store (queued asynchronously in the benchmark's wrapper), as a fix in the store could", () => options.GateSnapshotWrites = true)
            .Flag("--no-warm-up", "skip the small warm-up cluster", () => options.NoWarmUp = true)
            .Text("--markdown", "FILE", "also write the report to FILE", v => options.Markdown = v)
            .Flag("--keep-schemas", "leave the PostgreSQL schemas for inspection", () => options.KeepSchemas = true);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        if (options.SkipSqlite && options.Postgres is null)
        {
            throw new BenchmarkArgumentException("--skip-sqlite without --postgres leaves nothing to measure.");
        }

        await new ReplayBenchmark(options).RunAsync();
        return 0;
    }

    private LedgerProjectionOptions Projection
    {
        get
        {
            var o = new LedgerProjectionOptions();
            Configure(o);
            return o;
        }
    }

    private void Configure(LedgerProjectionOptions o)
    {
        o.BatchSize = options.BatchSize ?? o.BatchSize;
        o.CatchUpBatchSize = options.CatchUpBatchSize ?? Math.Max(o.BatchSize, o.CatchUpBatchSize);
        o.SnapshotMinEvents = options.SnapshotMinEvents ?? o.SnapshotMinEvents;
        o.SnapshotGrowth = options.SnapshotGrowth ?? o.SnapshotGrowth;
    }

    public async Task RunAsync()
    {
        var started = Stopwatch.StartNew();
        _facts.AddRange(Machine.Describe());
        var generator = new SyntheticLedger(options.Distribution, actorCount: options.Actors);
        var p = Projection;
        _facts.Add(("Ledger", string.Create(CultureInfo.InvariantCulture,
            $"synthetic interactions on all {generator.Dyads.Count} dyads of the actor registry ({options.Distribution.ToString().ToLowerInvariant()}), {generator.Templates} seed-corpus templates, ~3 % corrections and ~2 % retractions; appends of {options.AppendSize:N0} events, each event's dyad drawn at random")));
        _facts.Add(("Projection options", string.Create(CultureInfo.InvariantCulture,
            $"BatchSize {p.BatchSize}, CatchUpBatchSize {p.CatchUpBatchSize}, SnapshotMinEvents {p.SnapshotMinEvents}, SnapshotGrowth {p.SnapshotGrowth}, PumpSlice {p.PumpSlice.TotalSeconds} s")));
        if (options.GateSnapshotWrites)
        {
            _facts.Add(("Experiment", "snapshot writes gated: one at a time reaches the snapshot store, the others wait asynchronously (benchmark wrapper, not production behaviour)"));
        }

        _facts.Add(("Peak RSS", File.Exists("/proc/self/clear_refs") ? "VmHWM, reset at the start of each phase (clear_refs)" : "process peak working set since start"));
        foreach (var (name, value) in _facts)
        {
            Console.WriteLine($"{name}: {value}");
        }

        var baseDirectory = options.WorkDirectory ?? Path.GetTempPath();
        var work = Directory.CreateDirectory(Path.Combine(baseDirectory, $"karabakh-bench-replay-{Guid.NewGuid():N}"));
        try
        {
            if (!options.NoWarmUp)
            {
                await WarmUpAsync(work.FullName);
            }

            if (!options.SkipSqlite)
            {
                await SqliteAsync(work.FullName, generator);
            }

            if (options.Postgres is { } connectionString)
            {
                await PostgresAsync(connectionString);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            work.Delete(recursive: true);
        }

        _facts.Add(("Load average at end", Machine.LoadAverage()));
        _facts.Add(("Run time", started.Elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)));
        var report = new StringBuilder();
        report.AppendLine("| | |");
        report.AppendLine("| --- | --- |");
        foreach (var (name, value) in _facts)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        report.AppendLine();
        report.Append(_results);
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Markdown is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString());
        }
    }

    /// <summary>A small ledger through a whole cluster life (build, replay, score, stop), so nothing measured pays for JIT.</summary>
    private async Task WarmUpAsync(string directory)
    {
        var watch = Stopwatch.StartNew();
        var path = Path.Combine(directory, "warm-up.db");
        await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        await using var snapshots = await SqliteSnapshotStore.OpenAsync(SqliteSnapshotStore.PathBesideLedger(path), TimeProvider.System);
        await new SyntheticLedger(options.Distribution, seed: 99).LoadAsync(store, 5_000, options.AppendSize, "warm-up");
        await ReadAsync(store, deserialize: false);
        await ReadAsync(store, deserialize: true);
        await using (var cluster = await InProcessLedgerCluster.StartAsync(store, snapshots, Configure))
        {
            await cluster.CatchUpAsync();
            await cluster.ReplayAsync(options.ReplayModel);
            await cluster.ScoreAsync(new Dyad("RUS", "TUR"), Query);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {watch.Elapsed.TotalSeconds:F1} s"));
    }

    private async Task SqliteAsync(string directory, SyntheticLedger generator)
    {
        var path = options.Ledger ?? Path.Combine(directory, "ledger.db");
        await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        var have = await SqliteHeadAsync(path);
        string loaded;
        if (have >= options.Events)
        {
            loaded = string.Create(CultureInfo.InvariantCulture, $"reused {path} ({have:N0} events)");
        }
        else
        {
            if (have > 0)
            {
                throw new InvalidOperationException($"{path} holds {have:N0} events, fewer than the {options.Events:N0} asked for: delete it or ask for fewer.");
            }

            var took = await generator.LoadAsync(store, options.Events, options.AppendSize, "sqlite");
            loaded = string.Create(CultureInfo.InvariantCulture,
                $"{options.Events:N0} events through SqliteLedgerStore.AppendAsync in {took.TotalSeconds:F0} s ({Format.Rate(options.Events / took.TotalSeconds)} ev/s, not part of any rate below)");
        }

        var fileBytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        _facts.Add(("SQLite ledger", string.Create(CultureInfo.InvariantCulture, $"{loaded}; file {PhaseCost.Mib(fileBytes):N0} MiB")));
        await MeasureAsync("SQLite", store, async label =>
        {
            var snapshotPath = Path.Combine(directory, $"{label}.projections.db");
            return (await SqliteSnapshotStore.OpenAsync(snapshotPath, TimeProvider.System), () =>
            {
                var bytes = SnapshotFileSuffixes.Select(s => snapshotPath + s).Where(File.Exists).Sum(f => new FileInfo(f).Length);
                return Task.FromResult(string.Create(CultureInfo.InvariantCulture, $"{PhaseCost.Mib(bytes):N0} MiB (file + WAL)"));
            });
        });
    }

    private async Task PostgresAsync(string connectionString)
    {
        const string ledgerSchema = "bench_replay_ledger";
        string[] projectionSchemas = ["bench_replay_projections_build"];
        await using var admin = NpgsqlDataSource.Create(connectionString);
        foreach (var (name, value) in await Machine.DescribePostgresAsync(admin))
        {
            _facts.Add((name.Trim(), value));
        }

        async Task Drop(string schema)
        {
            await using var command = admin.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await command.ExecuteNonQueryAsync();
        }

        await Drop(ledgerSchema);
        await Drop(projectionSchemas[0]);
        try
        {
            await using var store = await MartenLedgerStore.OpenAsync(connectionString, TimeProvider.System, ledgerSchema);
            var took = await new SyntheticLedger(options.Distribution, actorCount: options.Actors).LoadAsync(store, options.PostgresEvents, options.AppendSize, "postgres");
            await using (var analyze = admin.CreateCommand($"ANALYZE {ledgerSchema}.mt_events; ANALYZE {ledgerSchema}.mt_streams; CHECKPOINT"))
            {
                await analyze.ExecuteNonQueryAsync();
            }

            _facts.Add(("PostgreSQL ledger", string.Create(CultureInfo.InvariantCulture,
                $"{options.PostgresEvents:N0} events through MartenLedgerStore.AppendAsync in {took.TotalSeconds:F0} s ({Format.Rate(options.PostgresEvents / took.TotalSeconds)} ev/s), then ANALYZE + CHECKPOINT")));
            await MeasureAsync("PostgreSQL", store, async _ =>
            {
                var schema = projectionSchemas[0];
                return (await PostgresSnapshotStore.OpenAsync(connectionString, TimeProvider.System, schema), async () =>
                {
                    await using var size = admin.CreateCommand($"SELECT pg_total_relation_size('{schema}.projection_state')");
                    var bytes = (long)(await size.ExecuteScalarAsync())!;
                    return string.Create(CultureInfo.InvariantCulture, $"{PhaseCost.Mib(bytes):N0} MiB (table + TOAST)");
                });
            });
        }
        finally
        {
            if (!options.KeepSchemas)
            {
                await Drop(ledgerSchema);
                await Drop(projectionSchemas[0]);
            }
        }
    }

    /// <summary>Everything measured on one ledger: its layout, the raw reads, the in-memory fold, the build and the replay.</summary>
    /// <summary>
    /// How long after the replay went live the retired generation's dyad grains were gone (the feed releases them),
    /// and the GC heap then: one generation's projections, where the replay's phase ends with two.
    /// </summary>
    /// <summary>
    /// Issue 14's query latency on the busiest dyad, through the live generation: the figures of a score (what
    /// <c>GET …/score</c> asks) and a yearly timeline, asked again at the same point (the grain's answer reused) and at
    /// points it has not derived yet (another as-of date and known-at time each), against a grain call that does nothing
    /// (the registry's generations).
    /// </summary>
    private async Task ReportQueryLatencyAsync(InProcessLedgerCluster cluster, Dyad dyad, int events)
    {
        const int Repeats = 50;
        const int Fresh = 12;
        var registry = cluster.Grains.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry);
        await registry.GetAsync();
        await cluster.Projections.FiguresAsync(dyad, Query);
        var noOp = await TimeAsync(Repeats, _ => registry.GetAsync());
        var sameScore = await TimeAsync(Repeats, _ => cluster.Projections.FiguresAsync(dyad, Query));
        var freshScore = await TimeAsync(Fresh, i => cluster.Projections.FiguresAsync(dyad, PointOf(i)));
        var from = new DateOnly(1995, 1, 1);
        await cluster.Projections.TimelineAsync(dyad, from, Query.AsOf, Bucket.Year, Query);
        var sameTimeline = await TimeAsync(Repeats, _ => cluster.Projections.TimelineAsync(dyad, from, Query.AsOf, Bucket.Year, Query));
        var freshTimeline = await TimeAsync(Fresh, i => cluster.Projections.TimelineAsync(dyad, from, Query.AsOf, Bucket.Year, PointOf(i + Fresh)));
        foreach (var (what, times) in new[]
                 {
                     ("no-op grain call (the registry's generations)", noOp),
                     ("score figures, same point again", sameScore),
                     ("score figures, a new as-of × known-at each", freshScore),
                     ("yearly timeline, same point again", sameTimeline),
                     ("yearly timeline, a new as-of × known-at each", freshTimeline),
                 })
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"query latency on {dyad.Key} ({events:N0} events), {what}: p50 {Percentile(times, 0.5):F2} ms, p99 {Percentile(times, 0.99):F2} ms (n = {times.Length})");
            Console.WriteLine($"  {line}");
            _results.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        static ScoreQuery PointOf(int i) =>
            new(new DateOnly(2025, 6, 30).AddDays(-37 * (i + 1)), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(-(i + 1)));

        static async Task<double[]> TimeAsync(int count, Func<int, Task> call)
        {
            var times = new double[count];
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await call(i);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            return times;
        }

        static double Percentile(double[] times, double p)
        {
            var sorted = times.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        }
    }

    private async Task ReportReleaseAsync(InProcessLedgerCluster cluster, int generation, Stopwatch sinceReplay)
    {
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var deadline = sinceReplay.Elapsed + TimeSpan.FromMinutes(2);
        int left;
        while ((left = (await management.GetActiveGrains(GrainType.Create("karabakh.dyad")))
                   .Count(id => ProjectionKeys.TryParseGeneration(id.Key.ToString()!, out var g) && g == generation)) > 0
               && sinceReplay.Elapsed < deadline)
        {
            await Task.Delay(100);
        }

        var released = sinceReplay.Elapsed;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"retired generation {generation}: {(left == 0 ? "every dyad grain released" : $"{left:N0} dyad grains still active")} {released.TotalSeconds:F1} s after the replay began; GC heap then (full GC) {heap / (1024 * 1024):N0} MiB");
        Console.WriteLine($"  {line}");
        _results.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
    }

    private async Task MeasureAsync(string backend, ILedgerStore store, Func<string, Task<(ISnapshotStore Store, Func<Task<string>> Size)>> freshSnapshots)
    {
        var projection = Projection;
        Console.WriteLine();
        Console.WriteLine($"== {backend}: layout");
        var layout = await Layout.ReadAsync(store, projection.BatchSize);
        Console.WriteLine($"  {layout}");
        var events = layout.Events;

        Console.WriteLine($"== {backend}: raw sequential read through the port ({options.ReadRepetitions} reps after a warm-up)");
        using var readProbe = ProcessProbe.Start();
        var samples = await Harness.RoundRobinAsync($"{backend} read", options.ReadRepetitions,
        [
            new Contender("ReadAllAsync", _ => Task.FromResult<Func<Task<long>>>(() => ReadAsync(store, deserialize: false))),
            new Contender("ReadAllAsync + deserialize", _ => Task.FromResult<Func<Task<long>>>(() => ReadAsync(store, deserialize: true))),
        ]);
        var readCost = readProbe.Stop();
        Console.WriteLine($"  raw reads, all repetitions: {readCost}");
        var raw = samples[0];
        var rawDeserialized = samples[1];

        PhaseCost? foldCost = null;
        string? lastPosition = null;
        if (!options.SkipFold)
        {
            Console.WriteLine($"== {backend}: in-memory fold (read + deserialize + per-dyad DyadEvents and messages, one thread, no Orleans, no snapshots)");
            using var probe = ProcessProbe.Start();
            var held = await FoldAsync(store);
            foldCost = probe.Stop();
            GC.KeepAlive(held);
            Console.WriteLine($"  fold: {events:N0} events, {Format.Rate(events / foldCost.Wall.TotalSeconds)} ev/s; {foldCost}");
            lastPosition = TimeLastPosition(held!);
            Console.WriteLine($"  {lastPosition}");
            held = null;
        }

        if (options.SkipCluster)
        {
            Report(backend, layout, raw, rawDeserialized, readCost, foldCost, lastPosition, null, null, [], null, null, null, "n/a");
            return;
        }

        var (snapshotStore, snapshotSize) = await freshSnapshots("build");
        await using var _ = snapshotStore;
        var counted = new CountingLedgerStore(store);
        var snapshots = new CountingSnapshotStore(snapshotStore, options.GateSnapshotWrites);
        using var timeout = new CancellationTokenSource(TimeSpan.FromHours(3));

        Console.WriteLine($"== {backend}: initial build (StartAsync + CatchUpAsync from position 0, fresh snapshot store)");
        using var buildProbe = ProcessProbe.Start();
        var before = Counters.Of(counted, snapshots);
        var startWatch = Stopwatch.StartNew();
        var cluster = await InProcessLedgerCluster.StartAsync(counted, snapshots, Configure, cancellationToken: timeout.Token);
        var startup = startWatch.Elapsed;
        Phase build;
        Phase? replay = null;
        ReplayResult? replayResult = null;
        var reports = new List<(TimeSpan At, ReplayProgress Progress)>();
        TimeSpan? stopTime = null;
        string? stopError = null;
        Counters? beforeStop = null;
        try
        {
            var caughtUp = await cluster.CatchUpAsync(timeout.Token);
            var buildWall = startWatch.Elapsed;
            var feed = await cluster.GetFeedStatusAsync(timeout.Token);
            var buildCounters = Counters.Of(counted, snapshots) - before;
            var buildSlowest = snapshots.SlowestWrite;
            var buildCost = buildProbe.Stop();
            build = new Phase("initial build (start + catch-up)", caughtUp.Head, buildWall, buildCost, buildCounters, feed.EventsPerSecond,
                string.Create(CultureInfo.InvariantCulture, $"silo start {startup.TotalSeconds:F1} s, CatchUpAsync {caughtUp.Elapsed.TotalSeconds:F1} s; head {caughtUp.Head:N0}; slowest snapshot write {buildSlowest.TotalSeconds:F2} s; thread pool up to {buildCost.MaxThreadPoolThreads} threads, {buildCost.MaxThreadPoolQueue:N0} work items queued"));
            Console.WriteLine($"  {build}");
            await VerifyAsync(cluster, store, layout.Busiest, ModelCatalog.DefaultKey);

            if (!options.SkipReplay)
            {
                Console.WriteLine($"== {backend}: ReplayAsync(\"{options.ReplayModel}\") (blue/green: generation 2 from position 0 beside the live one)");
                snapshots.ResetSlowest();
                using var replayProbe = ProcessProbe.Start();
                before = Counters.Of(counted, snapshots);
                var watch = Stopwatch.StartNew();
                var lastPrint = TimeSpan.Zero;
                var progress = new SynchronousProgress<ReplayProgress>(r =>
                {
                    lock (reports)
                    {
                        reports.Add((watch.Elapsed, r));
                        if (watch.Elapsed - lastPrint >= TimeSpan.FromSeconds(10) || r.Live)
                        {
                            lastPrint = watch.Elapsed;
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"  replay progress: {r.Position:N0}/{r.Head:N0} ({r.Fraction:P0}), {r.EventsDelivered:N0} delivered, {Format.Rate(r.EventsPerSecond)} ev/s, {r.Elapsed.TotalSeconds:F0} s{(r.Live ? ", live" : "")}; load average {Machine.LoadAverage()}"));
                        }
                    }
                });
                replayResult = await cluster.ReplayAsync(options.ReplayModel, progress, timeout.Token);
                var replayWall = watch.Elapsed;
                var replayFeed = await cluster.GetFeedStatusAsync(timeout.Token);
                var replayCounters = Counters.Of(counted, snapshots) - before;
                var replayCost = replayProbe.Stop();
                replay = new Phase($"ReplayAsync(\"{options.ReplayModel}\")", replayResult.EventsDelivered, replayWall, replayCost, replayCounters, replayFeed.EventsPerSecond,
                    string.Create(CultureInfo.InvariantCulture,
                        $"generation {replayResult.Generation.Id} live (replaced {replayResult.ReplacedGeneration}); facade's rate {Format.Rate(replayResult.EventsPerSecond)} ev/s; {reports.Count} progress reports; slowest snapshot write {snapshots.SlowestWrite.TotalSeconds:F2} s; thread pool up to {replayCost.MaxThreadPoolThreads} threads, {replayCost.MaxThreadPoolQueue:N0} work items queued"));
                Console.WriteLine($"  {replay}");
                await VerifyAsync(cluster, store, layout.Busiest, options.ReplayModel);
                await ReportReleaseAsync(cluster, replayResult.ReplacedGeneration, watch);
                await ReportQueryLatencyAsync(cluster, layout.Busiest, layout.MaxPerDyad);
            }
        }
        finally
        {
            beforeStop = Counters.Of(counted, snapshots);
            var stopWatch = Stopwatch.StartNew();
            try
            {
                await cluster.DisposeAsync();
                stopTime = stopWatch.Elapsed;
            }
            catch (Exception e)
            {
                stopTime = stopWatch.Elapsed;
                stopError = $"{e.GetType().Name}: {e.Message}";
                Console.WriteLine($"  stopping the silo failed after {stopTime.Value.TotalSeconds:F1} s: {stopError}");
            }
        }

        var afterStop = Counters.Of(counted, snapshots);
        var snapshotBytes = await snapshotSize();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  silo stopped in {stopTime?.TotalSeconds:F1} s; projection store now {snapshotBytes}"));

        Report(backend, layout, raw, rawDeserialized, readCost, foldCost, lastPosition, build, replay, reports, stopTime, stopError, afterStop - beforeStop, snapshotBytes);
    }

    /// <summary>
    /// The grain's score of the busiest dyad must equal scoring the dyad's stream directly: the synthetic events went
    /// through the grains as real events.
    /// </summary>
    private static async Task VerifyAsync(InProcessLedgerCluster cluster, ILedgerStore store, Dyad dyad, string modelKey)
    {
        var events = DyadEvents.Empty(dyad);
        await foreach (var e in store.ReadStreamAsync(dyad.StreamId))
        {
            events = events.Apply(e.ToMessage().ToProjected(EventSerializer.Default));
        }

        var expected = JsonSerializer.Serialize(Scorer.Score(events, Query, ModelCatalog.Bundled.Get(modelKey)), LedgerJson.Options);
        var actual = JsonSerializer.Serialize(await cluster.ScoreAsync(dyad, Query, modelKey), LedgerJson.Options);
        if (expected != actual)
        {
            throw new InvalidOperationException($"The grain's score of {dyad} under {modelKey} differs from scoring its stream directly.");
        }

        Console.WriteLine($"  check: score of {dyad} ({events.Count:N0} events) under {modelKey} from the grain = scoring its stream directly");
    }

    /// <summary>
    /// What <see cref="DyadEvents.LastPosition"/> costs on the fold's dyads: a dyad grain answers every
    /// <c>ApplyAsync</c> with it, and it enumerates the dyad's whole sorted dictionary (<c>Keys.Last()</c>).
    /// </summary>
    private static string TimeLastPosition(Dictionary<string, (DyadEvents Events, List<LedgerEventMessage> Messages)> held)
    {
        const int rounds = 20;
        long check = 0;
        var dyads = held.Values.Select(h => h.Events).ToArray();
        foreach (var events in dyads)
        {
            check += events.LastPosition;
        }

        var watch = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var events in dyads)
            {
                check += events.LastPosition;
            }
        }

        watch.Stop();
        GC.KeepAlive(check);
        var calls = (long)rounds * dyads.Length;
        return string.Create(CultureInfo.InvariantCulture,
            $"DyadEvents.LastPosition, which a dyad grain computes for every ApplyAsync: {watch.Elapsed.TotalMilliseconds * 1000 / calls:F1} µs per call on dyads of {dyads.Average(d => d.Count):N0} events on average ({calls:N0} calls, one thread)");
    }

    /// <summary>One raw sequential read of the whole ledger through the port, touching every field (and deserializing each event).</summary>
    private static async Task<long> ReadAsync(ILedgerStore store, bool deserialize)
    {
        long count = 0;
        long check = 0;
        var serializer = EventSerializer.Default;
        await foreach (var e in store.ReadAllAsync())
        {
            check += e.Position + e.StreamId.Length + e.Data.Length + e.Hash.Length;
            if (deserialize)
            {
                check += serializer.Deserialize(e.Type, e.SchemaVersion, e.Data).EventId.GetHashCode();
            }

            count++;
        }

        GC.KeepAlive(check);
        return count;
    }

    /// <summary>
    /// What the dyad grains compute, without Orleans or snapshots: every event read, converted to the grains'
    /// message, deserialized into a <see cref="ProjectedEvent"/> and applied to its dyad's <see cref="DyadEvents"/>,
    /// the messages kept as a grain keeps them. Answers what it holds, so the heap after it is what a generation holds.
    /// </summary>
    private static async Task<Dictionary<string, (DyadEvents Events, List<LedgerEventMessage> Messages)>?> FoldAsync(ILedgerStore store)
    {
        var dyads = new Dictionary<string, (DyadEvents Events, List<LedgerEventMessage> Messages)>(StringComparer.Ordinal);
        await foreach (var e in store.ReadAllAsync())
        {
            if (!dyads.TryGetValue(e.StreamId, out var held))
            {
                ActorRegistry.Default.TryDyadOfStream(e.StreamId, out var dyad);
                held = (DyadEvents.Empty(dyad), []);
            }

            var message = e.ToMessage();
            held.Messages.Add(message);
            dyads[e.StreamId] = (held.Events.Apply(message.ToProjected(EventSerializer.Default)), held.Messages);
        }

        return dyads;
    }

    private static async Task<long> SqliteHeadAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(position), 0) FROM ledger_events";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private void Report(
        string backend, Layout layout, Sample raw, Sample rawDeserialized, PhaseCost readCost, PhaseCost? foldCost, string? lastPosition, Phase? build, Phase? replay,
        List<(TimeSpan At, ReplayProgress Progress)> reports, TimeSpan? stopTime, string? stopError, Counters? stopping, string snapshotBytes)
    {
        var r = _results;
        var n = layout.Events;
        r.AppendLine(CultureInfo.InvariantCulture, $"### {backend}: {n:N0} events");
        r.AppendLine();
        r.AppendLine(CultureInfo.InvariantCulture, $"Layout: {layout}.");
        r.AppendLine();
        r.AppendLine("| phase | events/s | wall | CPU (cores) | allocated | GC heap after (full GC) | peak RSS in phase | replay / raw read | replay / raw read + deserialize |");
        r.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        r.AppendLine(CultureInfo.InvariantCulture,
            $"| raw read: `ReadAllAsync` | {Format.Rate(raw.Median)} ({Format.Rate(raw.Min)}–{Format.Rate(raw.Max)}) | {n / raw.Median:F1} s | | | | | | |");
        r.AppendLine(CultureInfo.InvariantCulture,
            $"| raw read + `EventSerializer.Deserialize` | {Format.Rate(rawDeserialized.Median)} ({Format.Rate(rawDeserialized.Min)}–{Format.Rate(rawDeserialized.Max)}) | {n / rawDeserialized.Median:F1} s | | | | | | |");
        r.AppendLine(CultureInfo.InvariantCulture,
            $"| (both raw reads, all {options.ReadRepetitions + 1} rounds) | | {readCost.Wall.TotalSeconds:F1} s | {readCost.Cpu.TotalSeconds:F1} s ({readCost.CpuCores:F2}) | {Mib(readCost.AllocatedBytes)} | {Mib(readCost.HeapAfterFullGcBytes)} | {Mib(readCost.PeakRssBytes)} | | |");
        if (foldCost is not null)
        {
            var rate = n / foldCost.Wall.TotalSeconds;
            r.AppendLine(CultureInfo.InvariantCulture,
                $"| in-memory fold, one thread, no Orleans (reference) | {Format.Rate(rate)} | {foldCost.Wall.TotalSeconds:F1} s | {foldCost.Cpu.TotalSeconds:F1} s ({foldCost.CpuCores:F2}) | {Mib(foldCost.AllocatedBytes)} | {Mib(foldCost.HeapAfterFullGcBytes)} (held) | {Mib(foldCost.PeakRssBytes)} | {Format.Ratio(rate, raw.Median)} | {Format.Ratio(rate, rawDeserialized.Median)} |");
        }

        foreach (var phase in new[] { build, replay }.OfType<Phase>())
        {
            var rate = phase.Events / phase.Wall.TotalSeconds;
            var c = phase.Cost;
            r.AppendLine(CultureInfo.InvariantCulture,
                $"| {phase.Name} | **{Format.Rate(rate)}** | {phase.Wall.TotalSeconds:F1} s | {c.Cpu.TotalSeconds:F1} s ({c.CpuCores:F2}) | {Mib(c.AllocatedBytes)} | {Mib(c.HeapAfterFullGcBytes)} | {Mib(c.PeakRssBytes)} | **{Format.Ratio(rate, raw.Median)}** | **{Format.Ratio(rate, rawDeserialized.Median)}** |");
        }

        r.AppendLine();
        if (lastPosition is not null)
        {
            r.AppendLine(CultureInfo.InvariantCulture, $"{lastPosition}.");
            r.AppendLine();
        }

        r.AppendLine("Where the time went (counted by pass-through wrappers around the two ports; times are summed over concurrent calls):");
        r.AppendLine();
        r.AppendLine("| phase | feed's busy rate | ReadAllAsync: calls / events / time | ReadStreamAsync: calls / events / time | dyad snapshot writes: count / MiB / time | feed checkpoint writes: count / time | GCs 0/1/2, pause |");
        r.AppendLine("| --- | ---: | --- | --- | --- | --- | --- |");
        foreach (var phase in new[] { build, replay }.OfType<Phase>())
        {
            var k = phase.Counters;
            var dyad = k.Writes.GetValueOrDefault("dyad");
            var feed = k.Writes.GetValueOrDefault("feed");
            r.AppendLine(CultureInfo.InvariantCulture,
                $"| {phase.Name} | {Format.Rate(phase.FeedRate)} ev/s | {k.ReadAll.Calls:N0} / {k.ReadAll.Items:N0} / {k.ReadAll.Time.TotalSeconds:F1} s | {k.ReadStream.Calls:N0} / {k.ReadStream.Items:N0} / {k.ReadStream.Time.TotalSeconds:F1} s | {dyad.Calls:N0} / {Mib(dyad.Bytes)} / {dyad.Time.TotalSeconds:F1} s | {feed.Calls:N0} / {feed.Time.TotalSeconds:F1} s | {phase.Cost.Gen0}/{phase.Cost.Gen1}/{phase.Cost.Gen2}, {phase.Cost.GcPause.TotalSeconds:F1} s |");
        }

        r.AppendLine();
        foreach (var phase in new[] { build, replay }.OfType<Phase>())
        {
            r.AppendLine(CultureInfo.InvariantCulture, $"- {phase.Name}: {phase.Note}.");
        }

        if (reports.Count > 0)
        {
            var marks = new List<string>();
            var first = reports.FirstOrDefault(p => p.Progress.EventsDelivered > 0);
            if (first.Progress is not null)
            {
                marks.Add(string.Create(CultureInfo.InvariantCulture, $"first batch acknowledged at {first.At.TotalSeconds:F1} s"));
            }

            foreach (var fraction in new[] { 0.25, 0.5, 0.75, 1.0 })
            {
                var at = reports.FirstOrDefault(p => p.Progress.Fraction >= fraction && p.Progress.EventsDelivered > 0);
                if (at.Progress is not null)
                {
                    marks.Add(string.Create(CultureInfo.InvariantCulture, $"{fraction:P0} at {at.At.TotalSeconds:F0} s ({Format.Rate(at.Progress.EventsPerSecond)} ev/s so far)"));
                }
            }

            var quarter = reports.FirstOrDefault(p => p.Progress.Fraction >= 0.25 && p.Progress.EventsDelivered > 0);
            var end = reports[^1];
            if (quarter.Progress is not null && end.At > quarter.At)
            {
                marks.Add(string.Create(CultureInfo.InvariantCulture,
                    $"from 25 % to the end (every dyad active by then, deliveries only): {Format.Rate((end.Progress.EventsDelivered - quarter.Progress.EventsDelivered) / (end.At - quarter.At).TotalSeconds)} ev/s"));
            }

            r.AppendLine(CultureInfo.InvariantCulture, $"- Replay progress: {string.Join("; ", marks)}.");
        }

        if (build is null || stopping is null)
        {
            return;
        }

        var stopWrites = stopping.Writes.GetValueOrDefault("dyad");
        r.AppendLine(CultureInfo.InvariantCulture,
            $"- Stopping the silo (not timed above): {stopTime?.TotalSeconds:F1} s{(stopError is null ? "" : $", failed: {stopError}")}; {stopWrites.Calls:N0} dyad snapshots ({Mib(stopWrites.Bytes)}) written on deactivation. Projection store afterwards: {snapshotBytes}.");
        r.AppendLine();
        var target = replay ?? build;
        var ratio = target.Events / target.Wall.TotalSeconds / raw.Median;
        var ratioDeserialized = target.Events / target.Wall.TotalSeconds / rawDeserialized.Median;
        r.AppendLine(CultureInfo.InvariantCulture,
            $"Target (replay ≥ ½ raw read): {target.Name} / raw read = {ratio:0.00} → **{(ratio >= 0.5 ? "met" : "not met")}**; against the raw read with deserialization {ratioDeserialized:0.00} → **{(ratioDeserialized >= 0.5 ? "met" : "not met")}**.");
        r.AppendLine();
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{PhaseCost.Mib(bytes):N0} MiB");

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>The counters of both ports at one moment.</summary>
internal sealed record Counters(CallCounts ReadAll, CallCounts ReadStream, IReadOnlyDictionary<string, CallCounts> Writes)
{
    public static Counters Of(CountingLedgerStore store, CountingSnapshotStore snapshots) =>
        new(store.ReadAll.Snapshot(), store.ReadStream.Snapshot(), snapshots.Writes());

    public static Counters operator -(Counters a, Counters b) => new(
        a.ReadAll - b.ReadAll,
        a.ReadStream - b.ReadStream,
        a.Writes.ToDictionary(w => w.Key, w => w.Value - b.Writes.GetValueOrDefault(w.Key), StringComparer.Ordinal));
}

/// <summary>One measured phase of a cluster: events delivered, wall time, process cost and port counters.</summary>
internal sealed record Phase(string Name, long Events, TimeSpan Wall, PhaseCost Cost, Counters Counters, double FeedRate, string Note)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Events:N0} events in {Wall.TotalSeconds:F1} s = {Format.Rate(Events / Wall.TotalSeconds)} ev/s (feed's own busy rate {Format.Rate(FeedRate)} ev/s); {Note}; {Cost}; ReadAll {Counters.ReadAll.Calls:N0} calls / {Counters.ReadAll.Items:N0} events / {Counters.ReadAll.Time.TotalSeconds:F1} s; ReadStream {Counters.ReadStream.Calls:N0} calls / {Counters.ReadStream.Items:N0} events / {Counters.ReadStream.Time.TotalSeconds:F1} s; writes {string.Join(", ", Counters.Writes.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key} {w.Value.Calls:N0} / {PhaseCost.Mib(w.Value.Bytes):N0} MiB / {w.Value.Time.TotalSeconds:F1} s")))}");
}

/// <summary>
/// The ledger as the feed sees it: how many events, over how many dyads, and how many <c>ApplyAsync</c> calls a feed
/// with the given batch size makes (one per distinct dyad per batch).
/// </summary>
internal sealed record Layout(long Events, int Dyads, int MaxPerDyad, Dyad Busiest, double AverageJsonBytes, int BatchSize, long ApplyCalls)
{
    public static async Task<Layout> ReadAsync(ILedgerStore store, int batchSize)
    {
        var perDyad = new Dictionary<string, int>(StringComparer.Ordinal);
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        long events = 0, calls = 0, json = 0;
        await foreach (var e in store.ReadAllAsync())
        {
            perDyad[e.StreamId] = perDyad.GetValueOrDefault(e.StreamId) + 1;
            inBatch.Add(e.StreamId);
            json += e.Data.Length;
            events++;
            if (events % batchSize == 0)
            {
                calls += inBatch.Count;
                inBatch.Clear();
            }
        }

        calls += inBatch.Count;
        var busiest = perDyad.MaxBy(d => d.Value);
        Dyad.TryFromStreamId(busiest.Key, out var dyad);
        return new Layout(events, perDyad.Count, busiest.Value, dyad, events == 0 ? 0 : (double)json / events, batchSize, calls);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Events:N0} events on {Dyads:N0} dyads ({(double)Events / Dyads:N0} per dyad on average, at most {MaxPerDyad:N0}: {Busiest}), {AverageJsonBytes:N0} characters of JSON per event on average; a feed reading batches of {BatchSize} makes {ApplyCalls:N0} ApplyAsync calls, {(double)Events / ApplyCalls:F2} events per call");
}
