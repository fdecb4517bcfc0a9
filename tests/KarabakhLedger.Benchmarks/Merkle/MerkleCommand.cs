namespace KarabakhLedger.Benchmarks.Merkle;

/// <summary><c>dotnet run -c Release --project tests/KarabakhLedger.Benchmarks -- merkle [options]</c> (docs/benchmarks.md).</summary>
internal static class MerkleCommand
{
    private const string Summary = """
        Issue 11: the Merkle log's cost on batched appends (with and without it, SQLite and PostgreSQL), and
        'verify --checkpoint' throughput against a raw read of the same events. Takes 10 to 20 minutes at the
        default size.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new MerkleBenchmarkOptions();
        var arguments = new BenchmarkArguments("merkle", Summary)
            .Whole("--events", "events in the ledger that verify reads (default 1000000)", 1, n => options.Events = n)
            .BothStores("bench_merkle_*", v => options.Postgres = v, () => options.SkipPostgres = true, () => options.SkipSqlite = true)
            .Whole("--reps", "timed repetitions per append contender (default 5; one warm-up round comes first)", 1, n => options.Repetitions = n)
            .Whole("--verify-reps", "timed repetitions of verify and of the raw read (default 3, after one warm-up)", 1, n => options.VerifyRepetitions = n)
            .Text("--markdown", "FILE", "also write the result tables to FILE", v => options.Markdown = v)
            .Flag("--verify-only", "skip the append scenarios", () => options.VerifyOnly = true)
            .Flag("--no-chain", "skip plain verify (the hash chains without the checkpoint) in the verify scenario", () => options.NoChain = true);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        options.Postgres = BenchmarkArguments.Postgres(options.Postgres, options.SkipPostgres);
        await new MerkleBenchmark(options).RunAsync();
        return 0;
    }
}
