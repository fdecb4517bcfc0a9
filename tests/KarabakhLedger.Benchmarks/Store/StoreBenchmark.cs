using System.Diagnostics;
using System.Globalization;
using System.Text;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using Npgsql;

namespace KarabakhLedger.Benchmarks.Store;

internal sealed class StoreBenchmarkOptions
{
    public string? Postgres { get; set; }

    public int Repetitions { get; set; } = 5;

    public int ReadEvents { get; set; } = 100_000;

    public bool Quick { get; set; }

    public bool SkipPostgres { get; set; }

    public bool SkipSqlite { get; set; }

    public string? Markdown { get; set; }

    public bool KeepSchemas { get; set; }

    public bool NoAnalyze { get; set; }
}

/// <summary>
/// Issue 3: append throughput and read-all of the store port against what the database does without it. Every
/// contender writes into its own schema (or file), created empty for the scenario and dropped after it.
/// </summary>
internal sealed class StoreBenchmark(StoreBenchmarkOptions options)
{
    private const int Streams = 10;

    private readonly Payloads _payloads = Payloads.FromSeedCorpus(Streams);
    private readonly List<Sample> _samples = [];
    private readonly List<(string Name, string Value)> _facts = [];

    private int Repetitions => options.Quick ? 2 : options.Repetitions;

    private int ReadEvents => options.Quick ? Math.Min(options.ReadEvents, 5_000) : options.ReadEvents;

    /// <summary>The append scenarios: events per append, and appends per timed repetition.</summary>
    private IEnumerable<(string Name, int Size, int Count)> AppendScenarios =>
    [
        ("single", 1, options.Quick ? 50 : 400),
        ("batch-100", 100, options.Quick ? 5 : 50),
        ("batch-1000", 1000, options.Quick ? 2 : 10),
    ];

    public async Task RunAsync()
    {
        var started = Stopwatch.StartNew();
        _facts.AddRange(Machine.Describe());
        _facts.Add(("Statistics", options.NoAnalyze ? "tables left as autovacuum has them (--no-analyze)" : "every contender's tables ANALYZEd before each repetition (untimed)"));
        _facts.Add(("Payloads", string.Create(CultureInfo.InvariantCulture,
            $"{_payloads.Events.Count} seed-corpus events, {_payloads.AverageDataBytes:F0} bytes of JSON on average, over {Streams} dyad streams")));
        if (!options.SkipPostgres)
        {
            await using var admin = NpgsqlDataSource.Create(options.Postgres!);
            _facts.AddRange(await Machine.DescribePostgresAsync(admin));
        }

        foreach (var (name, value) in _facts)
        {
            Console.WriteLine($"{name}: {value}");
        }

        Console.WriteLine();
        MeasureHashing();
        if (!options.SkipPostgres)
        {
            await PostgresAsync();
        }

        if (!options.SkipSqlite)
        {
            await SqliteAsync();
        }

        _facts.Add(("Load average at end", Machine.LoadAverage()));
        _facts.Add(("Run time", started.Elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture)));
        var report = Report();
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Markdown is { } path)
        {
            await File.WriteAllTextAsync(path, report);
        }
    }

    /// <summary>The hash chain alone, on one core: what computing <see cref="EventHash"/> costs per event.</summary>
    private void MeasureHashing()
    {
        var workload = new Workload(_payloads);
        var events = workload.Next(options.Quick ? 2_000 : 20_000).Events;
        var sample = new Sample("hash", "EventHash.Compute");
        for (var round = 0; round <= Repetitions; round++)
        {
            var previous = EventHash.Genesis;
            var watch = Stopwatch.StartNew();
            foreach (var e in events)
            {
                previous = EventHash.Compute(e.StreamId, e.Version, e.Event.EventId, e.Event.Type, e.Event.SchemaVersion, e.Event.Data, e.Record.RecordedAt, previous);
            }

            watch.Stop();
            if (round > 0)
            {
                sample.Add(events.Count, watch.Elapsed);
            }
        }

        Console.WriteLine($"  => hash: {sample}");
        _samples.Add(sample);

        var canonical = new Sample("hash", "CanonicalJson.Canonicalize");
        for (var round = 0; round <= Repetitions; round++)
        {
            long check = 0;
            var watch = Stopwatch.StartNew();
            foreach (var e in events)
            {
                check += CanonicalJson.Canonicalize(e.Event.Data).Length;
            }

            watch.Stop();
            GC.KeepAlive(check);
            if (round > 0)
            {
                canonical.Add(events.Count, watch.Elapsed);
            }
        }

        Console.WriteLine($"  => hash: {canonical}");
        _samples.Add(canonical);
    }

    private async Task PostgresAsync()
    {
        var connectionString = options.Postgres!;
        await using var admin = NpgsqlDataSource.Create(connectionString);
        async Task Checkpoint()
        {
            await using var command = admin.CreateCommand("CHECKPOINT");
            await command.ExecuteNonQueryAsync();
        }

        async Task Drop(params string[] schemas)
        {
            if (!options.KeepSchemas)
            {
                await DropNow(schemas);
            }
        }

        async Task DropNow(params string[] schemas)
        {
            foreach (var schema in schemas)
            {
                await using var command = admin.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
                await command.ExecuteNonQueryAsync();
            }
        }

        // Fresh tables that grow fast are not analyzed by autovacuum within a scenario; without statistics the
        // planner scans a whole stream (or table) for each head and id look-up. A ledger in service is analyzed, so by
        // default every contender's tables are, before each repetition (untimed).
        async Task Analyze(params string[] tables)
        {
            if (options.NoAnalyze)
            {
                return;
            }

            await using var command = admin.CreateCommand($"ANALYZE {string.Join(", ", tables)}");
            await command.ExecuteNonQueryAsync();
        }

        foreach (var (name, size, count) in AppendScenarios)
        {
            var scenario = $"pg {name}";
            var id = name.Replace("-", "", StringComparison.Ordinal);
            string portSchema = $"bench_{id}_port", martenSchema = $"bench_{id}_marten", copySchema = $"bench_{id}_copy", sketchSchema = $"bench_{id}_sketch";
            await DropNow(portSchema, martenSchema, copySchema, sketchSchema);
            Console.WriteLine($"{scenario}: {count} appends of {size} event(s) per repetition");
            try
            {
                await using var port = await MartenLedgerStore.OpenAsync(connectionString, TimeProvider.System, portSchema);
                await using var marten = await RawMarten.OpenAsync(connectionString, martenSchema);
                await using var copy = await RawCopy.OpenAsync(connectionString, copySchema);
                await using var sketch = await SketchAppender.OpenAsync(connectionString, sketchSchema);
                var portWork = new Workload(_payloads);
                var martenWork = new Workload(_payloads);
                var copyWork = new Workload(_payloads);
                var sketchWork = new Workload(_payloads);
                _samples.AddRange(await Harness.RoundRobinAsync(scenario, Repetitions,
                [
                    Contender.Appending("port (MartenLedgerStore)", portWork, size, count, b => port.AppendAsync(b.Appends)),
                    Contender.Appending("raw Marten", martenWork, size, count, marten.AppendAsync),
                    Contender.Appending("raw COPY", copyWork, size, count, copy.AppendAsync),
                    Contender.Appending("sketch: one lookup round trip", sketchWork, size, count, sketch.AppendAsync),
                ], async () =>
                {
                    await Analyze(
                        $"{portSchema}.mt_events", $"{portSchema}.mt_streams", $"{martenSchema}.mt_events", $"{martenSchema}.mt_streams",
                        $"{copySchema}.ledger_events", $"{sketchSchema}.mt_events", $"{sketchSchema}.mt_streams");
                    await Checkpoint();
                    sketch.ResetPhases();
                }));
                await sketch.VerifyChainAsync();
                _facts.Add(($"Sketch, {name}, last repetition", sketch.Phases.ToString()));
                Console.WriteLine($"  => {scenario}: sketch {sketch.Phases}");
            }
            finally
            {
                await Drop(portSchema, martenSchema, copySchema, sketchSchema);
            }
        }

        const string readSchema = "bench_read_port";
        await DropNow(readSchema);
        try
        {
            await using var port = await MartenLedgerStore.OpenAsync(connectionString, TimeProvider.System, readSchema);
            await FillAsync("pg", port);
            await Analyze($"{readSchema}.mt_events", $"{readSchema}.mt_streams");
            await Checkpoint();
            await using var raw = RawRead.Open(connectionString, readSchema);
            _samples.AddRange(await Harness.RoundRobinAsync("pg read-all", Repetitions,
            [
                Contender.Reading("port (MartenLedgerStore)", () => CountAsync(port)),
                Contender.Reading("raw SELECT", raw.SequentialAsync),
                Contender.Reading("sketch: SQL pages, client parses", () => raw.PagedToStoredEventsAsync(512)),
                Contender.Reading("sketch: SQL pages, server extracts", () => raw.PagedExtractedInSqlAsync(512)),
            ]));
        }
        finally
        {
            await Drop(readSchema);
        }
    }

    private async Task SqliteAsync()
    {
        var directory = Directory.CreateTempSubdirectory("karabakh-bench-sqlite-");
        try
        {
            foreach (var (name, size, count) in AppendScenarios)
            {
                var scenario = $"sqlite {name}";
                Console.WriteLine($"{scenario}: {count} appends of {size} event(s) per repetition");
                await using var port = await SqliteLedgerStore.OpenAsync(Path.Combine(directory.FullName, $"{name}.db"), TimeProvider.System);
                var work = new Workload(_payloads);
                _samples.AddRange(await Harness.RoundRobinAsync(scenario, Repetitions,
                [
                    Contender.Appending("port (SqliteLedgerStore)", work, size, count, b => port.AppendAsync(b.Appends)),
                ]));
            }

            await using var reader = await SqliteLedgerStore.OpenAsync(Path.Combine(directory.FullName, "read.db"), TimeProvider.System);
            await FillAsync("sqlite", reader);
            _samples.AddRange(await Harness.RoundRobinAsync("sqlite read-all", Repetitions,
            [
                Contender.Reading("port (SqliteLedgerStore)", () => CountAsync(reader)),
            ]));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Puts <see cref="ReadEvents"/> events into a store through the port, in appends of 1,000 (timed, for the record).</summary>
    private async Task FillAsync(string label, ILedgerStore store)
    {
        var work = new Workload(_payloads);
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < ReadEvents; done += 1000)
        {
            await store.AppendAsync(work.Next(Math.Min(1000, ReadEvents - done)).Appends);
        }

        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label} read-all: filled {ReadEvents} events through the port in {watch.Elapsed.TotalSeconds:F1} s ({Format.Rate(ReadEvents / watch.Elapsed.TotalSeconds)} ev/s)"));
    }

    private static async Task<long> CountAsync(ILedgerStore store)
    {
        long count = 0;
        long check = 0;
        await foreach (var e in store.ReadAllAsync())
        {
            check += e.Hash.Length;
            count++;
        }

        GC.KeepAlive(check);
        return count;
    }


    private double Median(string scenario, string contenderPrefix) =>
        _samples.FirstOrDefault(s => s.Scenario == scenario && s.Contender.StartsWith(contenderPrefix, StringComparison.Ordinal))?.Median ?? double.NaN;

    private static string Cell(Sample? s) =>
        s is null ? "n/a" : $"{Format.Rate(s.Median)} ({Format.Rate(s.Min)}–{Format.Rate(s.Max)})";

    private Sample? Find(string scenario, string contenderPrefix) =>
        _samples.FirstOrDefault(s => s.Scenario == scenario && s.Contender.StartsWith(contenderPrefix, StringComparison.Ordinal));

    private string Report()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Events per second: median of {Repetitions} timed repetitions (min–max), after one warm-up round.");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("| --- | --- |");
        foreach (var (name, value) in _facts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name.Trim()} | {value} |");
        }

        if (!options.SkipPostgres)
        {
            text.AppendLine();
            text.AppendLine("| PostgreSQL append | port (MartenLedgerStore) | raw Marten | raw COPY | port / raw Marten | port / COPY | sketch: one lookup round trip | sketch / COPY |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (name, _, _) in AppendScenarios)
            {
                var scenario = $"pg {name}";
                var port = Median(scenario, "port");
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {Cell(Find(scenario, "port"))} | {Cell(Find(scenario, "raw Marten"))} | {Cell(Find(scenario, "raw COPY"))} | {Format.Ratio(port, Median(scenario, "raw Marten"))} | {Format.Ratio(port, Median(scenario, "raw COPY"))} | {Cell(Find(scenario, "sketch"))} | {Format.Ratio(Median(scenario, "sketch"), Median(scenario, "raw COPY"))} |");
            }

            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL read-all ({ReadEvents:N0} events) | events/s | port / this |");
            text.AppendLine("| --- | ---: | ---: |");
            foreach (var s in _samples.Where(s => s.Scenario == "pg read-all"))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Contender} | {Cell(s)} | {Format.Ratio(Median("pg read-all", "port"), s.Median)} |");
            }
        }

        if (!options.SkipSqlite)
        {
            text.AppendLine();
            text.AppendLine("| SQLite port (SqliteLedgerStore) | events/s |");
            text.AppendLine("| --- | ---: |");
            foreach (var (name, _, _) in AppendScenarios)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| append {name} | {Cell(Find($"sqlite {name}", "port"))} |");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"| read-all ({ReadEvents:N0} events) | {Cell(Find("sqlite read-all", "port"))} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Hash chain alone, one core: EventHash.Compute {Cell(Find("hash", "EventHash"))} events/s, of which CanonicalJson.Canonicalize alone {Cell(Find("hash", "CanonicalJson"))} events/s");
        if (!options.SkipPostgres)
        {
            text.AppendLine();
            text.AppendLine("Targets (issue 3):");
            foreach (var name in new[] { "batch-100", "batch-1000" })
            {
                var ratio = Median($"pg {name}", "port") / Median($"pg {name}", "raw COPY");
                text.AppendLine(CultureInfo.InvariantCulture, $"- append {name} at least half of raw COPY: port / COPY = {ratio:0.00} -> {(ratio >= 0.5 ? "MET" : "NOT MET")}");
            }

            var read = Median("pg read-all", "port") / Median("pg read-all", "raw SELECT");
            text.AppendLine(CultureInfo.InvariantCulture, $"- read-all at least half of the raw read: port / raw SELECT = {read:0.00} -> {(read >= 0.5 ? "MET" : "NOT MET")}");
        }

        return text.ToString();
    }
}
