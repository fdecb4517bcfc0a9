using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Service.Appending;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Stores;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KarabakhLedger.Benchmarks.Service;

internal sealed class ServiceBenchmarkOptions
{
    public string? Postgres { get; set; }

    public int Repetitions { get; set; } = 5;

    public int Clients { get; set; } = 8;

    public int LagAppends { get; set; } = 300;

    public double LagRate { get; set; } = 20;

    public int RecordDyads { get; set; } = 8;

    public int WarmupSeconds { get; set; } = 20;

    public bool Quick { get; set; }

    public bool SkipPostgres { get; set; }

    public bool SkipSqlite { get; set; }

    public string? Markdown { get; set; }

    public bool KeepSchemas { get; set; }
}

/// <summary>
/// Issue 5: the HTTP service end to end, on the real host (<see cref="BenchNode"/>) with the seed corpus. Three phases
/// per store: (1) query latency, the score of RUS-TUR against no-op endpoints of the same host, then the score's steps
/// in process (<see cref="ScoreBreakdown"/>); (2) record throughput, <c>POST /api/interactions</c> with distinct
/// interactions against the same append in process, then the score of the phase's longest dyad; (3) subscription lag,
/// from a 201 to the SSE message with that position. Phases 1 and 2 run with one caller and with
/// <see cref="ServiceBenchmarkOptions.Clients"/> concurrent ones; every measured run is preceded by an untimed warm-up.
/// docs/benchmarks.md ("Service") describes the set-up and the results.
/// </summary>
internal sealed class ServiceBenchmark(ServiceBenchmarkOptions options)
{
    private const string ScorePath = "/api/dyads/RUS-TUR/score";
    private const string SubscriptionPath = "/api/subscriptions/scores";
    private const string Http = "POST /api/interactions";
    private const string InProcess = "in process: parse + LedgerRecorder";

    private readonly List<(string Name, string Value)> _facts = [];
    private readonly List<QueryRow> _queries = [];
    private readonly List<RecordRow> _records = [];
    private readonly List<LagRow> _lags = [];
    private readonly List<(string Store, string Step, Latencies Latencies)> _steps = [];
    private readonly List<BigDyadRow> _bigDyad = [];
    private readonly List<(string Store, int Events, double Ms)> _scoring = [];

    private int Repetitions => options.Quick ? 2 : options.Repetitions;

    private int[] ClientCounts => options.Clients == 1 ? [1] : [1, options.Clients];

    public async Task RunAsync()
    {
        var started = Stopwatch.StartNew();
        _facts.AddRange(Machine.Describe());
        if (!options.SkipPostgres)
        {
            await using var admin = NpgsqlDataSource.Create(options.Postgres!);
            _facts.AddRange(await Machine.DescribePostgresAsync(admin));
        }

        _facts.Add(("Client", "in the same process as the node: HttpClient (SocketsHttpHandler), one keep-alive connection per caller over 127.0.0.1"));
        foreach (var (name, value) in _facts)
        {
            Console.WriteLine($"{name}: {value}");
        }

        Console.WriteLine();
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

    private async Task PostgresAsync()
    {
        var connectionString = options.Postgres!;
        var schema = $"bench_service_{Guid.NewGuid():N}"[..22];
        await using var admin = NpgsqlDataSource.Create(connectionString);
        try
        {
            await using var node = await BenchNode.StartAsync(connectionString, schema);
            Started("PostgreSQL", node, $"schema {schema}");

            // As in the store benchmark: a fresh, fast-growing mt_events has no statistics until autovacuum gets to
            // it, and the append's head look-ups then scan whole streams. A ledger in service is analyzed, so the
            // ledger's and the projections' tables are ANALYZEd (and a CHECKPOINT taken) before each timed run.
            async Task Prepare()
            {
                var tables = new List<string>();
                await using (var list = admin.CreateCommand(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname = $1 OR schemaname = $2"))
                {
                    list.Parameters.Add(new NpgsqlParameter { Value = schema });
                    list.Parameters.Add(new NpgsqlParameter { Value = $"{schema}_projections" });
                    await using var reader = await list.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        tables.Add(reader.GetString(0));
                    }
                }

                if (tables.Count > 0)
                {
                    await using var analyze = admin.CreateCommand($"ANALYZE {string.Join(", ", tables)}");
                    await analyze.ExecuteNonQueryAsync();
                }

                await using var checkpoint = admin.CreateCommand("CHECKPOINT");
                await checkpoint.ExecuteNonQueryAsync();
            }

            await PhasesAsync("PostgreSQL", node, Prepare);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (!options.KeepSchemas)
            {
                foreach (var drop in new[] { schema, $"{schema}_projections" })
                {
                    await using var command = admin.CreateCommand($"DROP SCHEMA IF EXISTS {drop} CASCADE");
                    await command.ExecuteNonQueryAsync();
                }
            }
        }
    }

    private async Task SqliteAsync()
    {
        var folder = Directory.CreateTempSubdirectory("bench-service-");
        try
        {
            await using var node = await BenchNode.StartAsync(Path.Combine(folder.FullName, "ledger.db"), null);
            Started("SQLite", node, "WAL, synchronous = FULL, in a temp folder");
            await PhasesAsync("SQLite", node, () => Task.CompletedTask);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private void Started(string store, BenchNode node, string detail)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{node.SeededEvents} seed-corpus events recorded, node serving on {node.Address} after {node.Startup.TotalSeconds:F1} s ({detail})");
        _facts.Add(($"{store} node", text));
        Console.WriteLine($"{store}: {text}");
    }

    private async Task PhasesAsync(string store, BenchNode node, Func<Task> prepare)
    {
        var anonymous = node.Client(null);
        var service = node.Client(LedgerRoles.Service);
        var analyst = node.Client(LedgerRoles.Analyst);
        var subscriber = node.Client(LedgerRoles.Service, Timeout.InfiniteTimeSpan);

        var score = await service.GetStringAsync(ScorePath);
        using (var json = JsonDocument.Parse(score))
        {
            var fact = string.Create(CultureInfo.InvariantCulture,
                $"{json.RootElement.GetProperty("events").GetInt32()} counted events, score {json.RootElement.GetProperty("score").GetDecimal()}, answer {Encoding.UTF8.GetByteCount(score)} bytes");
            _facts.Add(($"{store}: GET {ScorePath}", fact));
            Console.WriteLine($"{store}: GET {ScorePath}: {fact}");
        }

        var direct = await service.GetStringAsync(BenchNode.DirectScorePath.Replace("{dyad}", "RUS-TUR", StringComparison.Ordinal));
        using (JsonDocument a = JsonDocument.Parse(score), b = JsonDocument.Parse(direct))
        {
            if (a.RootElement.GetProperty("score").GetDecimal() != b.RootElement.GetProperty("score").GetDecimal()
                || a.RootElement.GetProperty("digest").GetString() != b.RootElement.GetProperty("digest").GetString())
            {
                throw new InvalidOperationException($"The minimal-API twin of the score endpoint answers otherwise:\n{score}\n{direct}");
            }
        }

        await QueriesAsync(store, anonymous, service, prepare);
        Console.WriteLine($"{store} score query, step by step in the node's process (no HTTP), one caller:");
        foreach (var (step, latencies) in await ScoreBreakdown.MeasureAsync(node, "RUS-TUR", options.Quick ? 50 : 300, Repetitions))
        {
            Console.WriteLine($"  => {store} {step}: {latencies}");
            _steps.Add((store, step, latencies));
        }

        _facts.Add(($"{store}: RUS-TUR's ScoreResult (contributions included) as JSON", $"{ScoreBreakdown.ResultBytes:N0} bytes"));

        await RecordsAsync(store, node, analyst, service, prepare);
        await BigDyadAsync(store, node, service);
        await LagAsync(store, analyst, service, subscriber, prepare);
    }

    /// <summary>Phase 1: GET latency of the score against no-op endpoints, contenders taking turns round by round.</summary>
    private async Task QueriesAsync(string store, HttpClient anonymous, HttpClient service, Func<Task> prepare)
    {
        (string Name, HttpClient Client, string Path)[] contenders =
        [
            ("no-op, anonymous", anonymous, BenchNode.NoopPath),
            ("no-op, API key + policy", service, BenchNode.NoopAuthPath),
            ("GET /health", anonymous, "/health"),
            ("GET score RUS-TUR", service, ScorePath),
            ("same work, minimal API", service, BenchNode.DirectScorePath.Replace("{dyad}", "RUS-TUR", StringComparison.Ordinal)),
        ];
        // Pre-warm, untimed: every endpoint from many callers for a while, so the JIT's later tiers (dynamic PGO) are
        // in place before the first measured run; a shorter warm-up left the score's median falling run after run.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(options.Quick ? 2 : options.WarmupSeconds))
        {
            foreach (var (_, client, path) in contenders)
            {
                await Load.RunAsync(client, options.Clients, 100, _ => new HttpRequestMessage(HttpMethod.Get, path), HttpStatusCode.OK);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{store} query: pre-warmed for {warm.Elapsed.TotalSeconds:F0} s"));
        foreach (var clients in ClientCounts)
        {
            var perRun = options.Quick ? 50 * clients : (clients == 1 ? 400 : 100 * clients);
            Console.WriteLine($"{store} query, {clients} caller(s): {perRun} requests per run ({3 * perRun} in the warm-up), {Repetitions} runs per endpoint");
            var rows = contenders.Select(c => new QueryRow(store, c.Name, clients, new Latencies(), new Sample("query", c.Name))).ToArray();
            await prepare();
            for (var round = 0; round <= Repetitions; round++)
            {
                for (var i = 0; i < contenders.Length; i++)
                {
                    var (name, client, path) = contenders[i];
                    var run = await Load.RunAsync(client, clients, round == 0 ? 3 * perRun : perRun, _ => new HttpRequestMessage(HttpMethod.Get, path), HttpStatusCode.OK);
                    if (round > 0)
                    {
                        rows[i].Latencies.AddRange(run.Latencies);
                        rows[i].Rate.Add(run.Requests, run.Elapsed);
                    }

                    Print(store, "query", round, name, clients, run);
                }
            }

            foreach (var row in rows)
            {
                Console.WriteLine($"  => {store} query, {clients} caller(s), {row.Endpoint}: {row.Latencies}; {Format.Rate(row.Rate.Median)} req/s");
            }

            _queries.AddRange(rows);
        }
    }

    /// <summary>
    /// Phase 2: <c>POST /api/interactions</c> with distinct interactions over dyads of their own, against the same
    /// append in the node's process (the body parsed as the command handler parses it, then <see cref="LedgerRecorder"/>
    /// on the node's store: no HTTP, no Wolverine, and no wake-up of the projection feed and followers, which then read
    /// at their next poll). Contenders and caller counts take turns run by run.
    /// </summary>
    private async Task RecordsAsync(string store, BenchNode node, HttpClient analyst, HttpClient service, Func<Task> prepare)
    {
        var bodies = new InteractionBodies(InteractionBodies.FreshDyads(options.RecordDyads));
        var recorder = new LedgerRecorder(node.Services.GetRequiredService<LedgerStores>().Ledger, EventSerializer.Default, TimeProvider.System);
        var rows = new[] { Http, InProcess }
            .SelectMany(c => ClientCounts.Select(n => new RecordRow(store, c, n, new Latencies(), new Sample("record", c), new Sample("record", c))))
            .ToArray();
        var previousInProcess = false;
        for (var round = 0; round <= Repetitions; round++)
        {
            foreach (var row in rows)
            {
                var clients = row.Clients;
                var count = options.Quick ? 20 * clients : (clients == 1 ? 150 : 40 * clients);
                var prebuilt = Enumerable.Range(0, count).Select(_ => bodies.Next()).ToArray();
                await SettleAsync(service);
                if (previousInProcess)
                {
                    // Nothing woke the followers: the message publisher reads those appends at its next poll (1 s).
                    await Task.Delay(1500);
                }

                await prepare();
                previousInProcess = row.Contender == InProcess;
                var run = row.Contender == Http
                    ? await Load.RunAsync(analyst, clients, count, i => InteractionBodies.Post(prebuilt[i]), HttpStatusCode.Created, InteractionBodies.EventCount)
                    : await Load.RunInProcessAsync(clients, count, async i =>
                    {
                        var items = await recorder.RecordAsync([CommandInput.ParseOne(prebuilt[i], ActorRegistry.Default)]);
                        return items.Sum(item => item.Events.Count);
                    });
                if (round > 0)
                {
                    row.Latencies.AddRange(run.Latencies);
                    row.Requests.Add(run.Requests, run.Elapsed);
                    row.Events.Add(run.Events, run.Elapsed);
                }

                Print(store, "record", round, row.Contender, clients, run);
            }
        }

        foreach (var row in rows)
        {
            Console.WriteLine($"  => {store} record, {row.Contender}, {row.Clients} caller(s): {row.Latencies}; {Format.Rate(row.Requests.Median)} req/s, {Format.Rate(row.Events.Median)} events/s");
        }

        _records.AddRange(rows);
    }

    /// <summary>
    /// After phase 2: the score of the record phase's busiest dyad, now hundreds of events long, over HTTP and in the
    /// node's process, against RUS-TUR's 28. Scoring is linear in the dyad's events, and the publisher and every
    /// subscriber score the dyad once per appended event.
    /// </summary>
    private async Task BigDyadAsync(string store, BenchNode node, HttpClient service)
    {
        var (a, b) = InteractionBodies.FreshDyads(1)[0];
        var path = $"/api/dyads/{a}-{b}/score";
        int events;
        using (var json = JsonDocument.Parse(await service.GetStringAsync(path)))
        {
            events = json.RootElement.GetProperty("events").GetInt32();
        }

        var perRun = options.Quick ? 50 : 200;
        var http = new Latencies();
        for (var round = 0; round <= Repetitions; round++)
        {
            var run = await Load.RunAsync(service, 1, perRun, _ => new HttpRequestMessage(HttpMethod.Get, path), HttpStatusCode.OK);
            if (round > 0)
            {
                http.AddRange(run.Latencies);
            }
        }

        var steps = await ScoreBreakdown.MeasureAsync(node, $"{a}-{b}", perRun, Repetitions, only: ["ScoreAsync", "Scorer"]);
        Latencies Step(string prefix) => steps.Single(s => s.Step.StartsWith(prefix, StringComparison.Ordinal)).Latencies;
        var row = new BigDyadRow(store, $"{a}-{b}", events, ScoreBreakdown.ResultBytes, http, Step("ScoreAsync ("), Step("ScoreAsync's"), Step("Scorer"));
        _bigDyad.Add(row);
        Console.WriteLine($"  => {store} GET score {a}-{b} ({events} events, result {row.ResultBytes} bytes as JSON): {http}; ScoreAsync in process: {row.ScoreAsync}; JSON round trip: {row.Copy}; Scorer.Score: {row.Scorer}");
        foreach (var (n, ms) in await ScoreBreakdown.ScoringByLengthAsync(node, $"{a}-{b}", [25, 50, 100, 200, 400, 800, 1600]))
        {
            _scoring.Add((store, n, ms));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  => {store} Scorer.Score on {n} events: {ms:F3} ms"));
        }
    }

    /// <summary>
    /// Phase 3: two subscribers (all dyads; RUS-TUR only) from the ledger's head, while one caller appends at a fixed
    /// rate (open loop: the i-th append is sent at start + i / rate, or at once when behind). For each append: the
    /// time from the 201 (answer read) to the subscriber's message with its position, and from the request's start.
    /// </summary>
    private async Task LagAsync(string store, HttpClient analyst, HttpClient service, HttpClient subscriber, Func<Task> prepare)
    {
        var appends = options.Quick ? Math.Min(options.LagAppends, 60) : options.LagAppends;
        var bodies = new InteractionBodies(InteractionBodies.SeedDyads);
        var marker = await analyst.SendAsync(InteractionBodies.Post(bodies.Next()));
        var head = InteractionBodies.FirstPosition(await marker.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        await SettleAsync(service);
        await prepare();

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var all = new SseProbe(subscriber, SubscriptionPath, head);
        var one = new SseProbe(subscriber, $"{SubscriptionPath}?dyad=RUS-TUR", head);
        var probes = new[] { all, one }.Select(p => (Probe: p, Task: Task.Run(() => p.RunAsync(stop.Token)))).ToArray();
        await Task.WhenAll(probes.Select(p => p.Probe.Connected)).WaitAsync(TimeSpan.FromSeconds(30));

        // Warm-up: a few appends the subscribers also see, not counted.
        for (var i = 0; i < 10; i++)
        {
            (await analyst.SendAsync(InteractionBodies.Post(bodies.Next()))).EnsureSuccessStatusCode();
        }

        await Task.Delay(500);
        var sent = new List<(long Position, bool RusTur, long Send, long Committed)>(appends);
        var prebuilt = Enumerable.Range(0, appends).Select(_ => bodies.Next()).ToArray();
        var period = TimeSpan.FromSeconds(1 / options.LagRate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store} subscription lag: {appends} appends at {options.LagRate:0.#}/s, subscribers on all dyads and on RUS-TUR"));
        var postLatencies = new Latencies();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < appends; i++)
        {
            var due = period * i - watch.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            using var request = InteractionBodies.Post(prebuilt[i]);
            var start = Stopwatch.GetTimestamp();
            using var response = await analyst.SendAsync(request);
            var committed = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"POST /api/interactions answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            var answer = await response.Content.ReadAsStringAsync();
            using var json = JsonDocument.Parse(answer);
            var first = json.RootElement.GetProperty("events")[0];
            sent.Add((first.GetProperty("position").GetInt64(), first.GetProperty("dyad").GetString() == "RUS-TUR", start, committed));
            postLatencies.Add(committed - start);
        }

        var elapsed = watch.Elapsed;
        var last = sent[^1].Position;
        var lastRusTur = sent.Where(s => s.RusTur).Max(s => s.Position);
        var waited = Stopwatch.StartNew();
        while ((!all.Arrivals.ContainsKey(last) || !one.Arrivals.ContainsKey(lastRusTur)) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(probes.Select(p => p.Task));
        var actualRate = appends / elapsed.TotalSeconds;
        foreach (var (probe, name, expected) in new[]
                 {
                     (all, "all dyads", sent),
                     (one, "RUS-TUR only", sent.Where(s => s.RusTur).ToList()),
                 })
        {
            var fromCommit = new Latencies();
            var fromSend = new Latencies();
            var missing = 0;
            foreach (var s in expected)
            {
                if (probe.Arrivals.TryGetValue(s.Position, out var arrived))
                {
                    fromCommit.Add(arrived - s.Committed);
                    fromSend.Add(arrived - s.Send);
                }
                else
                {
                    missing++;
                }
            }

            var received = probe.Order.Where(id => id >= sent[0].Position).ToArray();
            var inOrder = received.SequenceEqual(expected.Select(s => s.Position));
            var early = expected.Count(s => probe.Arrivals.TryGetValue(s.Position, out var a) && a < s.Committed);
            var row = new LagRow(store, name, expected.Count, missing, inOrder, early, fromCommit, fromSend, postLatencies, actualRate);
            _lags.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  => {store} lag, {name}: {expected.Count} expected, {missing} missing, in order and exactly once: {inOrder}; from 201: {fromCommit}; from request start: {fromSend}; before the 201: {early}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  => {store} lag phase POSTs: {postLatencies}; actual rate {actualRate:F1}/s"));
    }

    /// <summary>Waits (untimed) until the projection has caught up with every append: the score endpoint waits for exactly that.</summary>
    private static async Task SettleAsync(HttpClient service)
    {
        (await service.GetAsync("/api/dyads/BGR-ROU/score")).EnsureSuccessStatusCode();
        await Task.Delay(200);
    }

    private static void Print(string store, string phase, int round, string name, int clients, LoadRun run)
    {
        var latencies = new Latencies();
        latencies.AddRange(run.Latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {store} {phase} {(round == 0 ? "warm-up" : $"run {round}"),-8} {name,-24} x{clients}: {run.Requests,5} in {run.Elapsed.TotalMilliseconds,7:F0} ms = {Format.Rate(run.Requests / run.Elapsed.TotalSeconds),6} req/s; p50 {Latencies.Format(latencies.P50)} ms, p99 {Latencies.Format(latencies.P99)} ms"));
    }

    private string Report()
    {
        var text = new StringBuilder();
        text.AppendLine("| | |");
        text.AppendLine("| --- | --- |");
        foreach (var (name, value) in _facts)
        {
            text.AppendLine($"| {name} | {value} |");
        }

        foreach (var store in _queries.Select(q => q.Store).Distinct())
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{store}, query latency in ms ({Repetitions} runs per endpoint and caller count, pooled; req/s: median of the runs, min–max):");
            text.AppendLine();
            text.AppendLine("| endpoint | callers | req/s | p50 | p90 | p99 | max |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var q in _queries.Where(q => q.Store == store))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {q.Endpoint} | {q.Clients} | {Cell(q.Rate)} | {Latencies.Format(q.Latencies.P50)} | {Latencies.Format(q.Latencies.P90)} | {Latencies.Format(q.Latencies.P99)} | {Latencies.Format(q.Latencies.Max)} |");
            }
        }

        foreach (var store in _steps.Select(r => r.Store).Distinct())
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{store}, the score query step by step, in the node's process without HTTP, one caller (ms):");
            text.AppendLine();
            text.AppendLine("| step | p50 | p90 | p99 | mean |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var (_, step, l) in _steps.Where(r => r.Store == store))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {step} | {Latencies.Format(l.P50)} | {Latencies.Format(l.P90)} | {Latencies.Format(l.P99)} | {Latencies.Format(l.Mean)} |");
            }
        }

        foreach (var store in _records.Select(r => r.Store).Distinct())
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{store}, recording one interaction ({Repetitions} runs per contender and caller count; latency in ms, pooled):");
            text.AppendLine();
            text.AppendLine("| contender | callers | requests | req/s | events/s | p50 | p90 | p99 | max |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in _records.Where(r => r.Store == store))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Contender} | {r.Clients} | {r.Latencies.Count} | {Cell(r.Requests)} | {Cell(r.Events)} | {Latencies.Format(r.Latencies.P50)} | {Latencies.Format(r.Latencies.P90)} | {Latencies.Format(r.Latencies.P99)} | {Latencies.Format(r.Latencies.Max)} |");
            }

            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Requests/s run by run ({options.RecordDyads} dyads written round-robin, so each run's dyads are longer than the last's):");
            foreach (var r in _records.Where(r => r.Store == store))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {r.Contender}, {r.Clients} caller(s): {string.Join(", ", r.Requests.Rates.Select(Format.Rate))}");
            }
        }

        if (_bigDyad.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Score of a long dyad after the record phase, one caller (ms, p50 / p99):");
            text.AppendLine();
            text.AppendLine("| store | dyad | events | ScoreResult as JSON | GET score | ScoreAsync in process | its result to JSON and back | Scorer.Score alone |");
            text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in _bigDyad)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Store} | {r.Dyad} | {r.Events} | {r.ResultBytes:N0} bytes | {Pair(r.Http)} | {Pair(r.ScoreAsync)} | {Pair(r.Copy)} | {Pair(r.Scorer)} |");
            }
        }

        if (_scoring.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Scorer.Score alone on the first n events of that dyad, mean ms per call (the grain, the publisher and each subscriber run it):");
            text.AppendLine();
            text.AppendLine("| store | events n | ms per call | µs per event |");
            text.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var (store, n, ms) in _scoring)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {store} | {n} | {ms:F2} | {ms * 1000 / n:F1} |");
            }
        }

        foreach (var store in _lags.Select(l => l.Store).Distinct())
        {
            var first = _lags.First(l => l.Store == store);
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{store}, subscription lag in ms ({first.Post.Count} appends at {first.Rate:F1}/s by one caller; their POST: p50 {Latencies.Format(first.Post.P50)}, p99 {Latencies.Format(first.Post.P99)}):");
            text.AppendLine();
            text.AppendLine("| subscriber | messages | missing | in order, once | from 201: p50 | p90 | p99 | max | min | before the 201 | from request start: p50 | p99 |");
            text.AppendLine("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var l in _lags.Where(l => l.Store == store))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {l.Subscriber} | {l.Expected} | {l.Missing} | {(l.InOrder ? "yes" : "NO")} | {Latencies.Format(l.FromCommit.P50)} | {Latencies.Format(l.FromCommit.P90)} | {Latencies.Format(l.FromCommit.P99)} | {Latencies.Format(l.FromCommit.Max)} | {Latencies.Format(l.FromCommit.Min)} | {l.Early} | {Latencies.Format(l.FromSend.P50)} | {Latencies.Format(l.FromSend.P99)} |");
            }
        }

        return text.ToString();
    }

    private static string Pair(Latencies l) => $"{Latencies.Format(l.P50)} / {Latencies.Format(l.P99)}";

    private static string Cell(Sample s) => $"{Format.Rate(s.Median)} ({Format.Rate(s.Min)}–{Format.Rate(s.Max)})";

    private sealed record BigDyadRow(
        string Store, string Dyad, int Events, int ResultBytes, Latencies Http, Latencies ScoreAsync, Latencies Copy, Latencies Scorer);

    private sealed record QueryRow(string Store, string Endpoint, int Clients, Latencies Latencies, Sample Rate);

    private sealed record RecordRow(string Store, string Contender, int Clients, Latencies Latencies, Sample Requests, Sample Events);

    private sealed record LagRow(
        string Store, string Subscriber, int Expected, int Missing, bool InOrder, int Early, Latencies FromCommit, Latencies FromSend, Latencies Post, double Rate);
}
