using System.Diagnostics;
using System.Net;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Hosting;

/// <summary>
/// OpenTelemetry end to end on a real node, through the SDK's in-memory exporters: a recording and a query leave the
/// ledger's spans (command, append, feed batch, grain delivery, query) and its metrics; unconfigured, nothing is set up.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = TestFolders.Create("ledger-otel-");
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private ServiceNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await ServiceNode.StartAsync(
            Path.Combine(_folder.FullName, "ledger.db"),
            settings: [new(TelemetrySetup.EnabledKey, "true")],
            services: s => s
                .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans))
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics)));

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_recording_and_a_query_emit_the_ledgers_spans_and_metrics()
    {
        var analyst = _node.As(LedgerRoles.Analyst);
        var service = _node.As(LedgerRoles.Service);

        var created = await analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("MNG", "KAZ")));
        var score = await service.GetAsync("/api/dyads/KAZ-MNG/score");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, score.StatusCode);
        Assert.True(_node.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(_node.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

        Activity[] spans;
        lock (_spans)
        {
            spans = [.. _spans];
        }

        Assert.Contains(spans, s => s.OperationName == "ledger.command" && (int?)s.GetTagItem("ledger.recordings") == 1);
        var append = Assert.Single(spans, s => s.OperationName == "ledger.append" && ((string?)s.GetTagItem("ledger.stream"))?.EndsWith("KAZ-MNG", StringComparison.Ordinal) == true);
        Assert.Equal(1, append.GetTagItem("ledger.appended"));
        Assert.Contains(spans, s => s.OperationName == "ledger.feed.batch");
        Assert.Contains(spans, s => s.OperationName == "ledger.dyad.apply" && (string?)s.GetTagItem("ledger.dyad") == "KAZ-MNG");
        Assert.Contains(spans, s => s.OperationName == "ledger.query" && (string?)s.GetTagItem("ledger.dyad") == "KAZ-MNG" && (string?)s.GetTagItem("ledger.query") == "score");
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/api/interactions", StringComparison.Ordinal));

        Assert.True(Sum(_metrics, "ledger.events.appended") >= 1);
        Assert.True(Sum(_metrics, "ledger.feed.events") >= 1);
    }

    [Fact]
    public void Without_configuration_telemetry_stays_off()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLedgerTelemetry(configuration);

        Assert.False(TelemetrySetup.IsConfigured(configuration));
        Assert.Null(services.BuildServiceProvider().GetService<TracerProvider>());
    }

    private static long Sum(List<Metric> metrics, string name)
    {
        lock (metrics)
        {
            var total = 0L;
            foreach (var metric in metrics.Where(m => m.Name == name))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    total += point.GetSumLong();
                }
            }

            return total;
        }
    }
}
