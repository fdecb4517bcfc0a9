using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Scoring;

/// <summary>
/// <c>ledger theatres</c> and <c>ledger diff</c> answer what <c>GET /api/dyads/{dyad}/theatres</c> and
/// <c>/diff</c> answer, to the last digit, at the same bitemporal point on the same SQLite ledger: a real
/// <c>ledger serve</c> process, then real <c>ledger</c> processes on the same file.
/// </summary>
public sealed class TheatresAndDiffParityTests
{
    [Fact(Timeout = 240_000)]
    public async Task The_CLI_and_the_HTTP_API_give_the_same_theatres_and_the_same_model_diff()
    {
        var folder = TestFolders.Create("ledger-parity-");
        try
        {
            var store = Path.Combine(folder.FullName, "ledger.db");
            var seeded = await LedgerProcess.RunAsync([], "seed", "--store", store);
            Assert.True(seeded.ExitCode == 0, seeded.Error);
            string knownAt;
            JsonNode theatresHttp, diffHttp;
            await using (var node = await ServeProcess.StartAsync(["--store", store], CancellationToken.None))
            {
                // The bundled models differ on CAMEO 022 (an appeal), which no seed entry uses.
                using var analyst = node.As(LedgerRoles.Analyst);
                using var recorded = await analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("IRN", "ISR", "022", "2021-06-01")));
                Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
                knownAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                using var service = node.As(LedgerRoles.Service);
                var at = $"asOf=2026-06-30&knownAt={Uri.EscapeDataString(knownAt)}";
                theatresHttp = JsonNode.Parse(await service.GetStringAsync($"/api/dyads/TUR-RUS/theatres?{at}&bucket=quarter&from=2020"))!;
                diffHttp = JsonNode.Parse(await service.GetStringAsync($"/api/dyads/IRN-ISR/diff?{at}&against=goldstein-icews@1"))!;
            }

            var theatres = await LedgerProcess.RunAsync([], "theatres", "TUR-RUS", "--store", store, "--as-of", "2026-06-30", "--known-at", knownAt,
                "--bucket", "quarter", "--from", "2020", "--json");
            var diff = await LedgerProcess.RunAsync([], "diff", "IRN-ISR", "--store", store, "--as-of", "2026-06-30", "--known-at", knownAt,
                "--against", "goldstein-icews@1", "--json");

            Assert.True(theatres.ExitCode == 0, theatres.Error);
            Assert.True(diff.ExitCode == 0, diff.Error);
            var theatresCli = JsonNode.Parse(theatres.Out)!;
            var diffCli = JsonNode.Parse(diff.Out)!;
            Assert.True(JsonNode.DeepEquals(theatresHttp, theatresCli), $"HTTP {theatresHttp.ToJsonString()}{Environment.NewLine}CLI  {theatresCli.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(diffHttp, diffCli), $"HTTP {diffHttp.ToJsonString()}{Environment.NewLine}CLI  {diffCli.ToJsonString()}");
            Assert.Equal(3, theatresCli["theatres"]!.AsArray().Count(t => t!["theatre"]!.GetValue<string>() is "syria" or "south-caucasus" or "black-sea-ukraine"));
            Assert.Contains(diffCli["points"]!.AsArray(), p => p!["netDifference"]!.GetValue<decimal>() != 0);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
