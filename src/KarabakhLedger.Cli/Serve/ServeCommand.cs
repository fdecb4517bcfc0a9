using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Stores;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace KarabakhLedger.Cli.Serve;

/// <summary>
/// <c>ledger serve</c>: runs a service node (HTTP API, Orleans silo, Wolverine) on the ledger that <c>--store</c> names,
/// by the same rule as every other command, until Ctrl+C. Options not listed here pass through as configuration,
/// e.g. <c>--Ledger:Auth:ApiKeys:0:Key=…</c> (docs/api.md lists the settings).
/// </summary>
public static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, e.g. http://0.0.0.0:8080 (default {LedgerService.DefaultUrl})." };
        var redis = new Option<string?>("--cluster-redis") { Description = "Join the cluster whose membership this Redis keeps (host:port); default: a cluster of one." };
        var clusterId = new Option<string?>("--cluster-id") { Description = "The cluster's id; nodes with the same Redis and id form one cluster." };
        var siloPort = new Option<int?>("--silo-port") { Description = "Silo-to-silo port (default: a free one)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Orleans gateway port (default: a free one)." };
        var advertise = new Option<string?>("--advertise") { Description = "The IP address other nodes reach this one at (default 127.0.0.1)." };
        var command = new Command("serve", "Run the HTTP service: commands, queries, subscriptions, with an Orleans silo.")
        {
            urls, redis, clusterId, siloPort, gatewayPort, advertise,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var settings = StoreSettings(StoreLocation.Resolve(parse.GetValue(LedgerCli.StoreOption), context));
            Add(settings, "urls", parse.GetValue(urls));
            Add(settings, "Ledger:Cluster:Redis", parse.GetValue(redis));
            Add(settings, "Ledger:Cluster:ClusterId", parse.GetValue(clusterId));
            Add(settings, "Ledger:Cluster:SiloPort", parse.GetValue(siloPort)?.ToString(CultureInfo.InvariantCulture));
            Add(settings, "Ledger:Cluster:GatewayPort", parse.GetValue(gatewayPort)?.ToString(CultureInfo.InvariantCulture));
            Add(settings, "Ledger:Cluster:AdvertisedAddress", parse.GetValue(advertise));
            var args = QuietLogging.Select(s => $"--{s.Key}={s.Value}")
                .Concat(parse.UnmatchedTokens)
                .Concat(settings.Select(s => $"--{s.Key}={s.Value}"))
                .ToArray();
            await using var app = await LedgerService.BuildAsync(args, clock: context.Clock, cancellationToken: cancellationToken);
            await app.StartAsync(cancellationToken);
            foreach (var line in StartupSummary.Lines(app.Services))
            {
                await context.Out.WriteLineAsync(line);
            }

            await context.Out.WriteLineAsync("Ctrl+C stops.");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Log levels for a person at a terminal: warnings and errors only, the start-up lines being printed by the command
    /// itself. Orleans' notes about server GC, which say nothing a user can act on here, are dropped. Any of these can be
    /// overridden on the command line, e.g. <c>--Logging:LogLevel:Default=Information</c>.
    /// </summary>
    private static readonly KeyValuePair<string, string>[] QuietLogging =
    [
        new("Logging:LogLevel:Default", "Warning"),
        new("Logging:LogLevel:Orleans.Runtime.Silo", "Error"),
    ];

    /// <summary>The service's settings that name <paramref name="location"/>.</summary>
    private static Dictionary<string, string> StoreSettings(LedgerLocation location) =>
        location.AsSettings().ToDictionary(s => $"{LedgerServiceOptions.Section}:{s.Key}", s => s.Value, StringComparer.Ordinal);

    private static void Add(Dictionary<string, string> settings, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            settings[key] = value;
        }
    }
}
