using System.Globalization;

namespace KarabakhLedger.Benchmarks.Merkle;

/// <summary><c>dotnet run -c Release --project tests/KarabakhLedger.Benchmarks -- merkle [options]</c> (docs/benchmarks.md).</summary>
internal static class MerkleCommand
{
    private const string Usage = """
        usage: KarabakhLedger.Benchmarks merkle [options]

          Issue 11: the Merkle log's cost on batched appends (with and without it, SQLite and PostgreSQL), and
          'verify --checkpoint' throughput against a raw read of the same events. Takes 10 to 20 minutes at the
          default size.

          --events N           events in the ledger that verify reads (default 1000000)
          --postgres CONNSTR   PostgreSQL to measure on (default: environment variable LEDGER_TEST_POSTGRES;
                               start a throwaway one with: eval "$(deploy/postgres.sh env)"). The benchmark
                               creates and drops schemas named bench_merkle_* in its database.
          --reps N             timed repetitions per append contender (default 5; one warm-up round comes first)
          --verify-reps N      timed repetitions of verify and of the raw read (default 3, after one warm-up)
          --skip-postgres      SQLite only
          --skip-sqlite        PostgreSQL only
          --markdown FILE      also write the result tables to FILE
          --verify-only        skip the append scenarios
          --no-chain           skip plain verify (the hash chains without the checkpoint) in the verify scenario
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new MerkleBenchmarkOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                int Count() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new ArgumentException($"{args[i - 1]} takes a whole number above 0.");
                switch (args[i])
                {
                    case "--events": options.Events = Count(); break;
                    case "--postgres": options.Postgres = Value(); break;
                    case "--reps": options.Repetitions = Count(); break;
                    case "--verify-reps": options.VerifyRepetitions = Count(); break;
                    case "--skip-postgres": options.SkipPostgres = true; break;
                    case "--skip-sqlite": options.SkipSqlite = true; break;
                    case "--markdown": options.Markdown = Value(); break;
                    case "--verify-only": options.VerifyOnly = true; break;
                    case "--no-chain": options.NoChain = true; break;
                    default: throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        options.Postgres ??= Environment.GetEnvironmentVariable("LEDGER_TEST_POSTGRES");
        if (!options.SkipPostgres && string.IsNullOrWhiteSpace(options.Postgres))
        {
            Console.Error.WriteLine("No PostgreSQL to measure on: pass --postgres CONNSTR or set LEDGER_TEST_POSTGRES (eval \"$(deploy/postgres.sh env)\"), or pass --skip-postgres.");
            return 2;
        }

        await new MerkleBenchmark(options).RunAsync();
        return 0;
    }
}
