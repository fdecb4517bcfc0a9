using System.Globalization;
using KarabakhLedger.Benchmarks.Store;

namespace KarabakhLedger.Benchmarks;

/// <summary>
/// Benchmarks, run on purpose and never in CI (docs/benchmarks.md):
/// <c>dotnet run -c Release --project tests/KarabakhLedger.Benchmarks -- store [--postgres CONNSTR]</c>, and the
/// <c>service</c>, <c>replay</c>, <c>merkle</c>, <c>cli</c>, <c>webui</c>, <c>import</c> and <c>changes</c> subcommands.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: KarabakhLedger.Benchmarks store [options]

          Append throughput and read-all of the ledger store port on PostgreSQL (MartenLedgerStore) against raw
          Marten and raw binary COPY, and of the SQLite store for reference. Takes a few minutes.

          --postgres CONNSTR   PostgreSQL to measure on (default: environment variable LEDGER_TEST_POSTGRES;
                               start a throwaway one with: eval "$(deploy/postgres.sh env)"). The benchmark
                               creates and drops schemas named bench_* in its database.
          --reps N             timed repetitions per contender (default 5; one warm-up round comes first)
          --read-events N      events in the ledger for read-all (default 100000)
          --quick              a smoke run: 2 repetitions and small sizes (numbers not meaningful)
          --skip-postgres      SQLite only
          --skip-sqlite        PostgreSQL only
          --markdown FILE      also write the result tables to FILE
          --no-analyze         do not ANALYZE the tables before each repetition (fresh tables then have no
                               statistics, and the port's look-ups may scan whole streams)
          --keep-schemas       leave the bench_* schemas in the database afterwards, for inspection
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "service") return await Service.ServiceCommand.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "replay") return await Replay.ReplayBenchmark.MainAsync(args[1..]);
        if (args.Length > 0 && args[0] == "merkle") return await Merkle.MerkleCommand.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "cli") return await Cli.CliBenchmark.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "webui") return await WebUi.WebUiBenchmark.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "import") return await Import.ImportBenchmark.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "changes") return Changes.ChangesBenchmark.Run(args[1..]);
        if (args.Length == 0 || args[0] != "store")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var options = new StoreBenchmarkOptions();
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--postgres": options.Postgres = Value(); break;
                case "--reps": options.Repetitions = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--read-events": options.ReadEvents = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--quick": options.Quick = true; break;
                case "--skip-postgres": options.SkipPostgres = true; break;
                case "--skip-sqlite": options.SkipSqlite = true; break;
                case "--markdown": options.Markdown = Value(); break;
                case "--keep-schemas": options.KeepSchemas = true; break;
                case "--no-analyze": options.NoAnalyze = true; break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        options.Postgres ??= Environment.GetEnvironmentVariable("LEDGER_TEST_POSTGRES");
        if (!options.SkipPostgres && string.IsNullOrWhiteSpace(options.Postgres))
        {
            Console.Error.WriteLine("No PostgreSQL to measure on: pass --postgres CONNSTR or set LEDGER_TEST_POSTGRES (eval \"$(deploy/postgres.sh env)\"), or pass --skip-postgres.");
            return 2;
        }

        await new StoreBenchmark(options).RunAsync();
        return 0;
    }
}
