namespace KarabakhLedger.Benchmarks.Store;

/// <summary><c>dotnet run -c Release --project tests/KarabakhLedger.Benchmarks -- store [options]</c> (docs/benchmarks.md).</summary>
internal static class StoreCommand
{
    public const string Summary = """
        Append throughput and read-all of the ledger store port on PostgreSQL (MartenLedgerStore) against raw
        Marten and raw binary COPY, and of the SQLite store for reference. Takes a few minutes.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new StoreBenchmarkOptions();
        var arguments = new BenchmarkArguments("store", Summary)
            .BothStores("bench_*", v => options.Postgres = v, () => options.SkipPostgres = true, () => options.SkipSqlite = true)
            .Whole("--reps", "timed repetitions per contender (default 5; one warm-up round comes first)", 1, n => options.Repetitions = n)
            .Whole("--read-events", "events in the ledger for read-all (default 100000)", 1, n => options.ReadEvents = n)
            .Flag("--quick", "a smoke run: 2 repetitions and small sizes (numbers not meaningful)", () => options.Quick = true)
            .Text("--markdown", "FILE", "also write the result tables to FILE", v => options.Markdown = v)
            .Flag("--no-analyze", "do not ANALYZE the tables before each repetition (fresh tables then have no statistics, and the port's look-ups may scan whole streams)", () => options.NoAnalyze = true)
            .Flag("--keep-schemas", "leave the bench_* schemas in the database afterwards, for inspection", () => options.KeepSchemas = true);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        options.Postgres = BenchmarkArguments.Postgres(options.Postgres, options.SkipPostgres);
        await new StoreBenchmark(options).RunAsync();
        return 0;
    }
}
