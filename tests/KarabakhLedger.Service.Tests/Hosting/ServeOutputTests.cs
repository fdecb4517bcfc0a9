using System.Diagnostics;
using KarabakhLedger.Service.Tests.Support;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Hosting;

/// <summary>
/// <c>ledger serve</c> as a person starts it, in a real process with no keys configured: a few lines saying where it
/// listens, which store, that nobody may call it yet and how to add a key; no framework chatter; and a Ctrl+C stop
/// that logs no warning and exits 0.
/// </summary>
public sealed class ServeOutputTests
{
    [Fact(Timeout = 120_000)]
    public async Task Serve_says_what_a_user_needs_and_stops_quietly()
    {
        var folder = TestFolders.Create("ledger-serve-output-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { ServeProcess.CliAssembly(), "serve", "--store", Path.Combine(folder.FullName, "ledger.db"), "--urls", $"http://127.0.0.1:{FreePorts.Next()}" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var lines = new List<string>();
            var errors = process.StandardError.ReadToEndAsync();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Add(line);
                if (line == "Ctrl+C stops.")
                {
                    break;
                }
            }

            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            var rest = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var all = string.Join('\n', lines) + rest + await errors;

            // Orleans' watchdog and its silo health monitor warn when this machine is too busy to keep their timers (the
            // test suites run side by side on two cores); that is news for an operator, not noise of the service's own.
            var said = lines.Where(l => !MachineTooBusy(l) && !l.StartsWith("      ", StringComparison.Ordinal)).ToList();
            var logged = all.Split('\n').Where(l => !MachineTooBusy(l)).ToList();
            Assert.Equal(0, process.ExitCode);
            Assert.StartsWith("Listening on http://127.0.0.1:", said[0], StringComparison.Ordinal);
            Assert.Contains(lines, l => l.StartsWith("Store: SQLite file ", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("Access: no API key and no JWT signing key are configured", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("--Ledger:Auth:ApiKeys:0:Key=", StringComparison.Ordinal));
            Assert.True(said.Count <= 10, all);
            Assert.DoesNotContain(logged, l => l.StartsWith("info:", StringComparison.Ordinal) || l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static bool MachineTooBusy(string line) =>
        line.Contains("Orleans.Runtime.Watchdog", StringComparison.Ordinal)
        || line.Contains("Orleans.Runtime.MembershipService.LocalSiloHealthMonitor", StringComparison.Ordinal);
}
