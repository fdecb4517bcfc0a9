using KarabakhLedger.Ledger.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics (docs/operations.md): the ledger's own spans and meters (<see cref="LedgerTelemetry"/>),
/// ASP.NET Core and Npgsql. Off unless configured: an <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or its traces or metrics
/// variant) sends them by OTLP, with every other <c>OTEL_*</c> variable as the SDK reads it; <c>Ledger:Telemetry:Enabled</c>
/// turns collection on without an exporter, for one added in code.
/// </summary>
public static class TelemetrySetup
{
    public const string EnabledKey = "Ledger:Telemetry:Enabled";

    private static readonly string[] OtlpEndpoints =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    /// <summary>True when <see cref="AddLedgerTelemetry"/> turns anything on.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        configuration.GetValue<bool>(EnabledKey) || OtlpEndpoints.Any(k => !string.IsNullOrEmpty(configuration[k]));

    public static IServiceCollection AddLedgerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return services;
        }

        var otlp = OtlpEndpoints.Any(k => !string.IsNullOrEmpty(configuration[k]));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: configuration["OTEL_SERVICE_NAME"] ?? "karabakh-ledger"))
            .WithTracing(t =>
            {
                t.AddSource(LedgerTelemetry.Name).AddAspNetCoreInstrumentation().AddNpgsql();
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(LedgerTelemetry.Name).AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });
        return services;
    }
}
