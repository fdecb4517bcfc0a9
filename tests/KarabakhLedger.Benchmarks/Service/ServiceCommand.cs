namespace KarabakhLedger.Benchmarks.Service;

/// <summary>
/// <c>dotnet run -c Release --project tests/KarabakhLedger.Benchmarks -- service [options]</c>: the options of
/// <see cref="ServiceBenchmark"/> (docs/benchmarks.md, "Service").
/// </summary>
internal static class ServiceCommand
{
    private const string Summary = """
        The HTTP service end to end, on the real host (Kestrel on 127.0.0.1, Wolverine, the Orleans silo) with the
        seed corpus: score-query latency against no-op endpoints, POST /api/interactions throughput, and the lag
        from a 201 to the SSE message on /api/subscriptions/scores. On PostgreSQL, then on SQLite for reference.
        Takes a few minutes.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new ServiceBenchmarkOptions();
        var arguments = new BenchmarkArguments("service", Summary)
            .BothStores("bench_service_*[_projections]", v => options.Postgres = v, () => options.SkipPostgres = true, () => options.SkipSqlite = true)
            .Whole("--reps", "timed runs per endpoint and caller count (default 5; one warm-up run comes first)", 1, n => options.Repetitions = n)
            .Whole("--clients", "concurrent callers of the concurrent runs (default 8)", 1, n => options.Clients = n)
            .Whole("--lag-appends", "appends in the subscription phase (default 300)", 2, n => options.LagAppends = n)
            .Number("--lag-rate", "R", "their rate per second (default 20)", 0, r => options.LagRate = r, exclusive: true)
            .Whole("--record-dyads", "dyads the record phase writes to, round-robin (default 8; up to ~360 keeps streams short)", 1, n => options.RecordDyads = n)
            .Whole("--warmup-seconds", "seconds of untimed pre-warm of the query endpoints (default 20)", 0, n => options.WarmupSeconds = n)
            .Flag("--quick", "a smoke run: 2 runs, few requests (numbers not meaningful)", () => options.Quick = true)
            .Text("--markdown", "FILE", "also write the result tables to FILE", v => options.Markdown = v)
            .Flag("--keep-schemas", "leave the bench_service_* schemas in the database afterwards", () => options.KeepSchemas = true);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        options.Postgres = BenchmarkArguments.Postgres(options.Postgres, options.SkipPostgres);
        await new ServiceBenchmark(options).RunAsync();
        return 0;
    }
}
