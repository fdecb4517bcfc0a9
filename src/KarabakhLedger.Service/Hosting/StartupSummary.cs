using KarabakhLedger.Service.Security;
using KarabakhLedger.Stores;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// What a person starting a node needs to know, in a few lines: where it listens, which ledger it serves, who may call
/// it (and, when nobody may, how to add a key), its cluster, and whether telemetry is on.
/// </summary>
public static class StartupSummary
{
    public static IReadOnlyList<string> Lines(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var auth = services.GetRequiredService<IOptions<AuthSettings>>().Value;
        var options = services.GetRequiredService<IOptions<LedgerServiceOptions>>().Value;
        var configuration = services.GetRequiredService<IConfiguration>();
        var lines = new List<string>
        {
            $"Listening on {string.Join(", ", addresses)} (API under /api, OpenAPI at /openapi/v1.json)",
            $"Store: {services.GetRequiredService<LedgerStores>().Ledger.Description}",
        };
        var keys = auth.ApiKeys.Where(k => !string.IsNullOrEmpty(k.Key) || !string.IsNullOrEmpty(k.KeySha256)).ToArray();
        var jwt = !string.IsNullOrEmpty(auth.Jwt.SigningKey);
        if (keys.Length == 0 && !jwt)
        {
            lines.Add("Access: no API key and no JWT signing key are configured, so every request but /health is refused (401).");
            lines.Add("  Add a key, e.g.: --Ledger:Auth:ApiKeys:0:Name=me --Ledger:Auth:ApiKeys:0:Key=SECRET --Ledger:Auth:ApiKeys:0:Roles=admin (docs/api.md)");
        }
        else
        {
            var named = keys.Select(k => $"{(k.Name.Length > 0 ? k.Name : "(unnamed)")} [{k.Roles}]");
            lines.Add($"Access: {keys.Length} API key{(keys.Length == 1 ? "" : "s")}{(keys.Length > 0 ? ": " + string.Join(", ", named) : "")}; bearer tokens {(jwt ? "accepted" : "refused (no signing key)")}");
        }

        lines.Add(string.IsNullOrEmpty(options.Cluster.Redis)
            ? "Cluster: this node alone"
            : $"Cluster: '{options.Cluster.ClusterId}' through Redis at {options.Cluster.Redis}");
        lines.Add(TelemetrySetup.IsConfigured(configuration) ? "Telemetry: on (docs/operations.md)" : "Telemetry: off (set OTEL_EXPORTER_OTLP_ENDPOINT to export; docs/operations.md)");
        return lines;
    }
}
