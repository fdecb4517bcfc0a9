using System.Diagnostics;
using System.Globalization;
using System.Text;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;
using Microsoft.Data.Sqlite;
using Npgsql;
using KarabakhLedger.Benchmarks.Store;

namespace KarabakhLedger.Benchmarks.Merkle;

internal sealed class MerkleBenchmarkOptions
{
    public string? Postgres { get; set; }

    public int Events { get; set; } = 1_000_000;

    public int Repetitions { get; set; } = 5;

    public int VerifyRepetitions { get; set; } = 3;

    public bool SkipPostgres { get; set; }

    public bool SkipSqlite { get; set; }

    public string? Markdown { get; set; }

    public bool VerifyOnly { get; set; }

    public bool NoChain { get; set; }
}

/// <summary>
/// Issue 11: what the Merkle log costs an append, and how fast <c>verify --checkpoint</c> runs against a raw read of
/// the same events (docs/benchmarks.md, "Merkle log").
/// <list type="bullet">
/// <item>SQLite: the store's append (with the log) against <see cref="SqliteAppendWithoutLog"/>, the same append minus
/// the log's work, each in its own file, round-robin.</item>
/// <item>PostgreSQL: the store's append, with the log's share timed by phase inside the same appends: the log's SQL
/// commands (<see cref="LogStatementTimer"/>) plus its hashing (leaf hash and frontier, measured on one core here).</item>
/// <item>Verify: <see cref="CheckpointVerifier"/> over a ledger of <see cref="MerkleBenchmarkOptions.Events"/>
/// events, with a checkpoint of all of them, against one plain SELECT of the same rows.</item>
/// </list>
/// </summary>
internal sealed class MerkleBenchmark(MerkleBenchmarkOptions options)
{
    private const int Streams = 10;
    private const string LedgerColumns =
        "position, stream_id, stream_version, event_id, type, schema_version, data, recorded_at, previous_hash, hash";

    private readonly Payloads _payloads = Payloads.FromSeedCorpus(Streams);
    private readonly List<Sample> _samples = [];
    private readonly List<(string Name, string Value)> _facts = [];
    private readonly List<string> _loads = [];

    private static IEnumerable<(string Name, int Size, int Count)> AppendScenarios =>
    [
        ("batch-100", 100, 50),
        ("batch-1000", 1000, 10),
    ];

    public async Task RunAsync()
    {
        var started = Stopwatch.StartNew();
        _facts.AddRange(Machine.Describe());
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

        var leafCost = MeasureLogHashing();
        MeasureChainHashing();
        var directory = Directory.CreateTempSubdirectory("karabakh-bench-merkle-");
        try
        {
            if (!options.SkipSqlite && !options.VerifyOnly)
            {
                await SqliteAppendAsync(directory.FullName);
                Load("after SQLite append");
            }

            if (!options.SkipPostgres && !options.VerifyOnly)
            {
                await PostgresAppendAsync(leafCost);
                Load("after PostgreSQL append");
            }

            if (!options.SkipSqlite)
            {
                await SqliteVerifyAsync(directory.FullName);
                Load("after SQLite verify");
            }

            if (!options.SkipPostgres)
            {
                await PostgresVerifyAsync();
                Load("after PostgreSQL verify");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }

        _facts.Add(("Load average (1, 5, 15 min) during the run", string.Join("; ", _loads)));
        _facts.Add(("Run time", started.Elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture)));
        var report = Report();
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Markdown is { } path)
        {
            await File.WriteAllTextAsync(path, report);
        }
    }

    private void Load(string when)
    {
        var load = $"{Machine.LoadAverage()} {when}";
        _loads.Add(load);
        Console.WriteLine($"Load average: {load}");
    }

    /// <summary>
    /// The log's hashing per event, on one core, as an append does it (LogExtension.Add): the leaf's bytes and hash,
    /// and the frontier's append with the node hashes it completes. Returns the cost of one event.
    /// </summary>
    private TimeSpan MeasureLogHashing()
    {
        var events = new Workload(_payloads).Next(20_000).Events
            .Select(e => new LedgerLeaf(e.StreamId, e.Version, e.Event.EventId, e.Record.Hash)).ToArray();
        var sample = new Sample("log hashing", "leaf hash + frontier");
        for (var round = 0; round <= options.Repetitions; round++)
        {
            var frontier = new MerkleFrontier();
            var watch = Stopwatch.StartNew();
            foreach (var leaf in events)
            {
                frontier.Append(leaf.Hash());
            }

            watch.Stop();
            GC.KeepAlive(frontier.Root());
            if (round > 0)
            {
                sample.Add(events.Length, watch.Elapsed);
            }
        }

        Console.WriteLine($"  => log hashing: {sample}");
        _samples.Add(sample);
        return TimeSpan.FromSeconds(1 / sample.Median);
    }

    /// <summary>
    /// What verify recomputes per event besides the log: the event's hash (canonical JSON of the payload, then
    /// SHA-256), on one core. It bounds verify from above, whatever the store.
    /// </summary>
    private void MeasureChainHashing()
    {
        var events = new Workload(_payloads).Next(20_000).Events;
        var sample = new Sample("chain hashing", "EventHash.Compute");
        for (var round = 0; round <= options.Repetitions; round++)
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

        Console.WriteLine($"  => chain hashing: {sample}");
        _samples.Add(sample);
    }

    private async Task SqliteAppendAsync(string directory)
    {
        foreach (var (name, size, count) in AppendScenarios)
        {
            var scenario = $"sqlite append {name}";
            Console.WriteLine($"{scenario}: {count} appends of {size} events per repetition");
            await using var port = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, $"append-{name}-log.db"), TimeProvider.System);
            await using var bare = await SqliteAppendWithoutLog.OpenAsync(Path.Combine(directory, $"append-{name}-bare.db"));
            var portWork = new Workload(_payloads);
            var bareWork = new Workload(_payloads);
            _samples.AddRange(await Harness.RoundRobinAsync(scenario, options.Repetitions,
            [
                Contender.Appending("with the log (SqliteLedgerStore)", portWork, size, count, b => port.AppendAsync(b.Appends)),
                Contender.Appending("without the log (same append)", bareWork, size, count, b => bare.AppendAsync(b.Appends)),
            ]));
            var report = await ChainVerifier.VerifyAsync(port);
            if (!report.Intact || await port.Log.GetSizeAsync() != report.EventsChecked)
            {
                throw new InvalidOperationException($"The SQLite ledger of {scenario} does not verify, or its log is not one leaf per event.");
            }
        }
    }

    private async Task PostgresAppendAsync(TimeSpan leafCost)
    {
        var connectionString = options.Postgres!;
        await using var admin = NpgsqlDataSource.Create(connectionString);
        using var timer = new LogStatementTimer();
        foreach (var (name, size, count) in AppendScenarios)
        {
            var scenario = $"pg append {name}";
            var schema = $"bench_merkle_{name.Replace("-", "", StringComparison.Ordinal)}";
            await ExecuteAsync(admin, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
            Console.WriteLine($"{scenario}: {count} appends of {size} events per repetition");
            try
            {
                await using var port = await MartenLedgerStore.OpenAsync(connectionString, TimeProvider.System, schema);
                var work = new Workload(_payloads);
                var withoutLog = new Sample(scenario, "without the log (phases subtracted)");
                var shares = new Sample(scenario, "log's SQL commands alone");
                var contender = new Contender("with the log (MartenLedgerStore)", round =>
                {
                    var batches = work.Batches(count, size);
                    return Task.FromResult<Func<Task<long>>>(async () =>
                    {
                        timer.Reset();
                        var watch = Stopwatch.StartNew();
                        foreach (var batch in batches)
                        {
                            await port.AppendAsync(batch.Appends);
                        }

                        watch.Stop();
                        long events = (long)count * size;
                        if (timer.AllStatements == 0 || timer.Statements == 0)
                        {
                            throw new InvalidOperationException("Npgsql reported no commands (or none of the log's): the log's phases cannot be timed.");
                        }

                        var log = timer.Elapsed + leafCost * events;
                        if (round > 0)
                        {
                            withoutLog.Add(events, watch.Elapsed - log);
                            shares.Add(events, timer.Elapsed);
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"    log: {timer.Statements} of {timer.AllStatements} commands, {timer.Elapsed.TotalMilliseconds:F0} ms SQL + {(leafCost * events).TotalMilliseconds:F0} ms hashing of {watch.Elapsed.TotalMilliseconds:F0} ms = {log / watch.Elapsed:P1}"));
                        }

                        return events;
                    });
                });
                _samples.AddRange(await Harness.RoundRobinAsync(scenario, options.Repetitions, [contender], async () =>
                {
                    await ExecuteAsync(admin, $"ANALYZE {schema}.mt_events, {schema}.mt_streams, {schema}.ledger_log_leaves, {schema}.ledger_log_nodes");
                    await ExecuteAsync(admin, "CHECKPOINT");
                }));
                Console.WriteLine($"  => {scenario}: {withoutLog}");
                _samples.Add(withoutLog);
                _samples.Add(shares);
                var report = await ChainVerifier.VerifyAsync(port);
                if (!report.Intact || await port.Log.GetSizeAsync() != report.EventsChecked)
                {
                    throw new InvalidOperationException($"The PostgreSQL ledger of {scenario} does not verify, or its log is not one leaf per event.");
                }
            }
            finally
            {
                await ExecuteAsync(admin, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
            }
        }
    }

    private async Task SqliteVerifyAsync(string directory)
    {
        var path = Path.Combine(directory, "verify.db");
        await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        await FillAsync("sqlite", store);
        var (checkpoint, key) = await CheckpointAsync(store);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();
        _samples.AddRange(await Harness.RoundRobinAsync("sqlite verify", options.VerifyRepetitions, VerifyContenders(
            store, checkpoint, key, () => SqliteRawReadAsync(connectionString))));
    }

    private async Task PostgresVerifyAsync()
    {
        const string schema = "bench_merkle_verify";
        var connectionString = options.Postgres!;
        await using var admin = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(admin, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        try
        {
            await using var store = await MartenLedgerStore.OpenAsync(connectionString, TimeProvider.System, schema);
            await FillAsync("pg", store);
            await ExecuteAsync(admin, $"VACUUM ANALYZE {schema}.mt_events, {schema}.mt_streams, {schema}.ledger_log_leaves, {schema}.ledger_log_nodes");
            await ExecuteAsync(admin, "CHECKPOINT");
            var (checkpoint, key) = await CheckpointAsync(store);
            await using var raw = RawRead.Open(connectionString, schema);
            _samples.AddRange(await Harness.RoundRobinAsync("pg verify", options.VerifyRepetitions, VerifyContenders(
                store, checkpoint, key, raw.SequentialAsync)));
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    /// <summary>
    /// verify --checkpoint, the raw read, and (unless --no-chain) plain verify, which walks the hash chains without the
    /// log: the difference between the two verifies is the checkpoint's own work.
    /// </summary>
    private List<Contender> VerifyContenders(ILedgerStore store, Checkpoint checkpoint, LedgerVerifyingKey key, Func<Task<long>> raw)
    {
        var contenders = new List<Contender>
        {
            Contender.Reading("verify --checkpoint", () => VerifyAsync(store, checkpoint, key)),
            Contender.Reading("raw SELECT of the rows", raw),
            Contender.Reading("audit rows only", async () => { long n = 0; await foreach (var r in store.Log.ReadRowsForAuditAsync()) { n++; } return n; }),
            Contender.Reading("leaves only", async () => { long n = 0; await foreach (var r in store.Log.ReadLeavesAsync(0)) { n++; } return n; }),
        };
        if (!options.NoChain)
        {
            contenders.Add(Contender.Reading("verify (chains only, no checkpoint)", async () =>
            {
                var report = await ChainVerifier.VerifyAsync(store);
                return report.Intact ? report.EventsChecked : throw new InvalidOperationException("verify did not hold on the benchmark's ledger.");
            }));
        }

        return contenders;
    }

    /// <summary>A checkpoint of the whole ledger, signed with a fresh key, as <c>ledger checkpoint</c> writes one.</summary>
    private static async Task<(Checkpoint Checkpoint, LedgerVerifyingKey Key)> CheckpointAsync(ILedgerStore store)
    {
        using var signing = LedgerSigningKey.Create();
        return (Checkpoint.Sign(await MerkleLog.HeadAsync(store.Log), DateTimeOffset.UtcNow, signing), signing.Public);
    }

    private static async Task<long> VerifyAsync(ILedgerStore store, Checkpoint checkpoint, LedgerVerifyingKey key)
    {
        var report = await CheckpointVerifier.VerifyAsync(store, checkpoint, key);
        if (!report.Intact || report.EventsChecked != checkpoint.Size)
        {
            throw new InvalidOperationException($"verify --checkpoint did not hold on the benchmark's ledger ({report.EventsChecked} of {checkpoint.Size} events checked).");
        }

        return report.EventsChecked;
    }

    /// <summary>The floor for SQLite: one SELECT of every column of every event, in position order.</summary>
    private static async Task<long> SqliteRawReadAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {LedgerColumns} FROM ledger_events ORDER BY position";
        await using var reader = await command.ExecuteReaderAsync();
        long count = 0;
        long check = 0;
        while (await reader.ReadAsync())
        {
            check += reader.GetInt64(0) + reader.GetString(1).Length + reader.GetInt64(2) + reader.GetString(3).Length + reader.GetString(4).Length
                + reader.GetInt32(5) + reader.GetString(6).Length + reader.GetString(7).Length + reader.GetString(8).Length + reader.GetString(9).Length;
            count++;
        }

        GC.KeepAlive(check);
        return count;
    }

    /// <summary>Puts the events into a store through the port, in appends of 1,000 (timed, for the record).</summary>
    private async Task FillAsync(string label, ILedgerStore store)
    {
        var work = new Workload(_payloads);
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < options.Events; done += 1000)
        {
            await store.AppendAsync(work.Next(Math.Min(1000, options.Events - done)).Appends);
            if ((done + 1000) % 100_000 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label} fill: {done + 1000} events, {watch.Elapsed.TotalSeconds:F0} s"));
            }
        }

        watch.Stop();
        var fact = string.Create(CultureInfo.InvariantCulture,
            $"{options.Events:N0} events through the port in appends of 1,000: {watch.Elapsed.TotalSeconds:F0} s ({Format.Rate(options.Events / watch.Elapsed.TotalSeconds)} ev/s)");
        _facts.Add(($"{label} verify ledger", fact));
        Console.WriteLine($"{label} verify: filled {fact}");
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }


    private Sample? Find(string scenario, string contenderPrefix) =>
        _samples.FirstOrDefault(s => s.Scenario == scenario && s.Contender.StartsWith(contenderPrefix, StringComparison.Ordinal));

    private double Median(string scenario, string contenderPrefix) => Find(scenario, contenderPrefix)?.Median ?? double.NaN;

    private static string Cell(Sample? s) =>
        s is null ? "n/a" : $"{Format.Rate(s.Median)} ({Format.Rate(s.Min)}–{Format.Rate(s.Max)})";

    private static string Percent(double cost) => double.IsNaN(cost) ? "n/a" : cost.ToString("0.0 %", CultureInfo.InvariantCulture);

    private string Report()
    {
        var text = new StringBuilder();
        var targets = new List<string>();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Events per second: median of {options.Repetitions} timed repetitions for appends and {options.VerifyRepetitions} for verify (min–max), after one warm-up round.");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("| --- | --- |");
        foreach (var (name, value) in _facts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name.Trim()} | {value} |");
        }

        if (!options.VerifyOnly)
        {
            text.AppendLine();
            text.AppendLine("| Append | with the log | without the log | log's cost (1 − with / without) |");
            text.AppendLine("| --- | ---: | ---: | ---: |");
        }

        foreach (var (store, label) in new[] { ("sqlite", "SQLite"), ("pg", "PostgreSQL") })
        {
            foreach (var (name, _, _) in AppendScenarios)
            {
                var scenario = $"{store} append {name}";
                if (Find(scenario, "with") is not { } with)
                {
                    continue;
                }

                var cost = 1 - with.Median / Median(scenario, "without");
                text.AppendLine(CultureInfo.InvariantCulture, $"| {label} {name} | {Cell(with)} | {Cell(Find(scenario, "without"))} | {Percent(cost)} |");
                targets.Add($"- {label} {name}: the log costs {Percent(cost)} of append throughput (target ≤ 10 %) -> {(cost <= 0.10 ? "MET" : "NOT MET")}");
            }
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| Verify, {options.Events:N0} events | verify --checkpoint | raw SELECT of the rows | verify / raw | verify, chains only | chains only / raw |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (store, label) in new[] { ("sqlite", "SQLite"), ("pg", "PostgreSQL") })
        {
            var scenario = $"{store} verify";
            if (Find(scenario, "verify --checkpoint") is not { } verify)
            {
                continue;
            }

            var ratio = verify.Median / Median(scenario, "raw");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Cell(verify)} | {Cell(Find(scenario, "raw"))} | {Format.Ratio(verify.Median, Median(scenario, "raw"))} | {Cell(Find(scenario, "verify (chains"))} | {Format.Ratio(Median(scenario, "verify (chains"), Median(scenario, "raw"))} |");
            targets.Add(string.Create(CultureInfo.InvariantCulture,
                $"- {label} verify --checkpoint over {options.Events:N0} events at {ratio:0.00}× the raw read (target ≥ 0.5×) -> {(ratio >= 0.5 ? "MET" : "NOT MET")}"));
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"The log's hashing alone, one core (leaf hash + frontier): {Cell(Find("log hashing", "leaf"))} events/s.");
        text.AppendLine(CultureInfo.InvariantCulture, $"The event hash alone, one core (EventHash.Compute, as verify recomputes it): {Cell(Find("chain hashing", "EventHash"))} events/s.");
        foreach (var (name, _, _) in AppendScenarios)
        {
            if (Find($"pg append {name}", "log's SQL") is { } sql)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL {name}: the log's SQL commands alone would run at {Cell(sql)} events/s.");
            }
        }

        text.AppendLine();
        text.AppendLine("Targets (issue 11):");
        foreach (var target in targets)
        {
            text.AppendLine(target);
        }

        return text.ToString();
    }
}
