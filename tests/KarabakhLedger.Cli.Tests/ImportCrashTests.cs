using System.Diagnostics;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// Kills a real <c>ledger import</c> process (kill -9) at many moments and runs the same command again: the ledger
/// ends with exactly the file's rows, once each, on SQLite and on PostgreSQL.
/// </summary>
public sealed class ImportCrashTests : IAsyncLifetime
{
    private const int RowCount = 12_000;
    private const int BatchSize = 400;
    private ScratchSchema _schema = null!;

    public async Task InitializeAsync() => _schema = (await PostgresServer.GetAsync()).NewSchema();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    /// <summary>A GDELT 2.0 file of <see cref="RowCount"/> rows spread over many sector and state dyads.</summary>
    public static string BigFile(int rows = RowCount, long firstId = 800_000_000)
    {
        var states = new[] { "TUR", "RUS", "UKR", "AZE", "ARM", "GEO", "IRN", "USA", "FRA", "DEU" };
        var roles = new[] { "", "GOV", "MIL", "BUS", "CVL" };
        var codes = new[] { "010", "036", "042", "043", "046", "057", "112", "130", "173", "190", "0871", "1246" };
        var random = new Random(20221);
        var list = new List<CodedRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var a = states[random.Next(states.Length)];
            var b = states[(Array.IndexOf(states, a) + 1 + random.Next(states.Length - 1)) % states.Length];
            list.Add(new CodedRow(
                firstId + i, new DateOnly(2022, 1, 1).AddDays(random.Next(365)),
                a + roles[random.Next(roles.Length)], a, b + roles[random.Next(roles.Length)], b, codes[random.Next(codes.Length)],
                Mentions: 1 + random.Next(50), Sources: 1 + random.Next(5), Articles: 1 + random.Next(50), Url: $"https://news.example.org/{i}"));
        }

        return EventDataFiles.Write("20220101000000.export.CSV", EventDataFiles.Gdelt("gdelt2", list));
    }

    [Fact]
    public Task A_killed_import_rerun_leaves_exactly_the_file_s_rows_once_each_on_SQLite() => KillAndResume(CliRunner.NewPath(".db"));

    [Fact]
    public Task A_killed_import_rerun_leaves_exactly_the_file_s_rows_once_each_on_PostgreSQL() =>
        KillAndResume($"{_schema.ConnectionString};Search Path={_schema.Name}");

    private static async Task KillAndResume(string store)
    {
        var file = BigFile();
        var cli = new CliRunner();
        var killed = 0;
        var partial = new List<long>();
        for (var delay = 900; ; delay += 500)
        {
            using var process = Start(store, file);
            if (process.WaitForExit(delay))
            {
                Assert.Equal(0, process.ExitCode);
                break;
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            killed++;
            var count = await Count(cli, store);
            partial.Add(count);
            Assert.True(count % BatchSize == 0, $"after a kill at {delay} ms the ledger holds {count} imported events: part of a batch");
            Assert.True(delay < 120_000, "the import never finished");
        }

        var again = await cli.Run("import", "--format", "gdelt2", file, "--store", store);
        var ids = (await cli.Run("export", "--provenance", "gdelt2", "--format", "csv", "--store", store)).Lines.Skip(1)
            .Select(l => l.Split(',')[^1].Trim()).ToArray();
        var verify = await cli.Run("verify", "--store", store);

        Assert.True(killed > 0 && partial.Any(c => c > 0 && c < RowCount), $"no kill landed mid-import ({string.Join(", ", partial)})");
        Assert.StartsWith($"{RowCount} rows: 0 imported, {RowCount} already there, 0 rejected", again.Out);
        Assert.Equal(RowCount, ids.Length);
        Assert.Equal(Enumerable.Range(0, RowCount).Select(i => (800_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), ids.Order());
        Assert.Equal(0, verify.ExitCode);
    }

    private static async Task<long> Count(CliRunner cli, string store)
    {
        var export = await cli.Run("export", "--provenance", "gdelt2", "--format", "csv", "--store", store);
        return export.ExitCode == 0 ? export.Lines.Length - 1 : 0;
    }

    private static Process Start(string store, string file)
    {
        var ledger = Path.Combine(AppContext.BaseDirectory, "ledger.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { ledger, "import", "--format", "gdelt2", file, "--batch-size", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", store })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
