namespace KarabakhLedger.Benchmarks;

/// <summary>
/// Benchmarks, run on purpose and never in CI (docs/benchmarks.md):
/// <c>dotnet run -c Release --project tests/KarabakhLedger.Benchmarks -- SUBCOMMAND [options]</c>; each subcommand
/// lists its options with <c>--help</c>.
/// </summary>
internal static class Program
{
    private static readonly (string Name, string Summary, Func<string[], Task<int>> Run)[] Subcommands =
    [
        ("store", "append throughput and read-all of the ledger store port (issue 3)", Store.StoreCommand.RunAsync),
        ("service", "the HTTP service end to end: query latency, record throughput, SSE lag (issue 5)", Service.ServiceCommand.RunAsync),
        ("replay", "the projections' initial build and a blue/green replay in Orleans (issue 4)", Replay.ReplayBenchmark.MainAsync),
        ("merkle", "the Merkle log's append cost and verify --checkpoint throughput (issue 11)", Merkle.MerkleCommand.RunAsync),
        ("cli", "the ledger CLI's queries against `ledger events` (issue 14)", Cli.CliBenchmark.RunAsync),
        ("webui", "the analyst's timeline page in Chromium (issue 13)", WebUi.WebUiBenchmark.RunAsync),
        ("import", "a GDELT 2.0 import into SQLite and PostgreSQL (issue 10)", Import.ImportBenchmark.RunAsync),
        ("changes", "one busy dyad's change log and derivations in the scoring library (issue 14)", args => Task.FromResult(Changes.ChangesBenchmark.Run(args))),
    ];

    public static async Task<int> Main(string[] args)
    {
        var subcommand = args.Length > 0 ? Array.Find(Subcommands, s => s.Name == args[0]) : default;
        if (subcommand.Run is null)
        {
            var usage = "usage: KarabakhLedger.Benchmarks SUBCOMMAND [options], SUBCOMMAND --help for its options\n\n"
                + string.Join('\n', Subcommands.Select(s => $"  {s.Name,-9}{s.Summary}"));
            var help = args is ["--help"];
            if (!help && args.Length > 0)
            {
                Console.Error.WriteLine($"error: unknown subcommand '{args[0]}'.");
            }

            (help ? Console.Out : Console.Error).WriteLine(usage);
            return help ? 0 : 2;
        }

        try
        {
            return await subcommand.Run(args[1..]);
        }
        catch (BenchmarkArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
