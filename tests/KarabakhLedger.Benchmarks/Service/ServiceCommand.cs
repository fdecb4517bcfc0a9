using System.Globalization;

namespace KarabakhLedger.Benchmarks.Service;

/// <summary>
/// <c>dotnet run -c Release --project tests/KarabakhLedger.Benchmarks -- service [options]</c>: the options of
/// <see cref="ServiceBenchmark"/> (docs/benchmarks.md, "Service").
/// </summary>
internal static class ServiceCommand
{
    private const string Usage = """
        usage: KarabakhLedger.Benchmarks service [options]

          The HTTP service end to end, on the real host (Kestrel on 127.0.0.1, Wolverine, the Orleans silo) with the
          seed corpus: score-query latency against no-op endpoints, POST /api/interactions throughput, and the lag
          from a 201 to the SSE message on /api/subscriptions/scores. On PostgreSQL, then on SQLite for reference.
          Takes a few minutes.

          --postgres CONNSTR   PostgreSQL to run the ledger on (default: environment variable LEDGER_TEST_POSTGRES;
                               start a throwaway one with: eval "$(deploy/postgres.sh env)"). The benchmark creates
                               and drops the schemas bench_service_*[_projections] in its database.
          --reps N             timed runs per endpoint and caller count (default 5; one warm-up run comes first)
          --clients N          concurrent callers of the concurrent runs (default 8)
          --lag-appends N      appends in the subscription phase (default 300)
          --lag-rate R         their rate per second (default 20)
          --record-dyads N     dyads the record phase writes to, round-robin (default 8; up to ~360 keeps streams short)
          --warmup-seconds S   untimed pre-warm of the query endpoints (default 20)
          --quick              a smoke run: 2 runs, few requests (numbers not meaningful)
          --skip-postgres      SQLite only
          --skip-sqlite        PostgreSQL only
          --markdown FILE      also write the result tables to FILE
          --keep-schemas       leave the bench_service_* schemas in the database afterwards
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new ServiceBenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--postgres": options.Postgres = Value(); break;
                case "--reps": options.Repetitions = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--clients": options.Clients = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--lag-appends": options.LagAppends = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--lag-rate": options.LagRate = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--record-dyads": options.RecordDyads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--warmup-seconds": options.WarmupSeconds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--quick": options.Quick = true; break;
                case "--skip-postgres": options.SkipPostgres = true; break;
                case "--skip-sqlite": options.SkipSqlite = true; break;
                case "--markdown": options.Markdown = Value(); break;
                case "--keep-schemas": options.KeepSchemas = true; break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        if (options.RecordDyads < 1 || options.Clients < 1 || options.LagAppends < 2 || options.LagRate <= 0 || options.Repetitions < 1)
        {
            Console.Error.WriteLine("--clients, --reps and --record-dyads must be at least 1, --lag-appends at least 2, --lag-rate positive.");
            return 2;
        }

        options.Postgres ??= Environment.GetEnvironmentVariable("LEDGER_TEST_POSTGRES");
        if (!options.SkipPostgres && string.IsNullOrWhiteSpace(options.Postgres))
        {
            Console.Error.WriteLine("No PostgreSQL to run on: pass --postgres CONNSTR or set LEDGER_TEST_POSTGRES (eval \"$(deploy/postgres.sh env)\"), or pass --skip-postgres.");
            return 2;
        }

        await new ServiceBenchmark(options).RunAsync();
        return 0;
    }
}
