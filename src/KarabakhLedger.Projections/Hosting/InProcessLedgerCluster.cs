using System.Net;
using System.Net.Sockets;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KarabakhLedger.Projections.Hosting;

/// <summary>
/// A one-silo Orleans cluster on localhost inside the calling process, with the ledger projections and an
/// in-process client: what the CLI starts to answer score and timeline questions. Free ports are picked, so
/// several processes can each run one (but only one should use a given projection store at a time). Disposing
/// stops the silo gracefully: dyads save their snapshots and the feed its checkpoint.
/// </summary>
public sealed class InProcessLedgerCluster : ILedgerProjections, IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessLedgerCluster(IHost host)
    {
        _host = host;
        Projections = host.Services.GetRequiredService<LedgerProjections>();
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public LedgerProjections Projections { get; }

    public IGrainFactory Grains { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Starts the silo over <paramref name="store"/> with its projection state in <paramref name="snapshots"/>
    /// (the caller keeps ownership of both, and disposes them after this cluster). Logging is off unless
    /// <paramref name="logging"/> turns it on.
    /// </summary>
    /// <param name="clock">
    /// The projections' clock (<see cref="ProjectionClock"/>: waits, rates, the registry's timestamps); the system
    /// clock when null. Orleans itself always runs on the system clock here, so a test clock cannot stop the silo;
    /// with a clock that does not advance, waits end only when what they wait for happens. Domain times do not come
    /// from it: recording times are the ledger store's, question times the caller's <see cref="ScoreQuery"/>.
    /// </param>
    public static async Task<InProcessLedgerCluster> StartAsync(
        ILedgerStore store,
        ISnapshotStore snapshots,
        Action<LedgerProjectionOptions>? configure = null,
        TimeProvider? clock = null,
        Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "karabakh-ledger-projections",
            DisableDefaults = true,
        });
        builder.Services.AddLogging(l => logging?.Invoke(l));
        builder.Services.AddSingleton(TimeProvider.System);
        if (clock is not null)
        {
            builder.Services.AddKeyedSingleton(ProjectionClock.Key, clock);
        }

        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "karabakh-ledger", clusterId: $"karabakh-ledger-{Guid.NewGuid():N}")
            .AddLedgerProjections(store, snapshots, configure));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new InProcessLedgerCluster(host);
    }

    public Task<ScoreResult> ScoreAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default) =>
        Projections.ScoreAsync(dyad, query, modelKey, cancellationToken);

    public Task<DateOnly?> FirstCountedAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default) =>
        Projections.FirstCountedAsync(dyad, query, modelKey, cancellationToken);

    public Task<TimelineResult> TimelineAsync(
        Dyad dyad, DateOnly from, DateOnly through, Bucket bucket, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default) =>
        Projections.TimelineAsync(dyad, from, through, bucket, query, modelKey, cancellationToken);

    public Task<CatchUpResult> CatchUpAsync(CancellationToken cancellationToken = default) => Projections.CatchUpAsync(cancellationToken);

    public Task<ReplayResult> ReplayAsync(string modelKey, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Projections.ReplayAsync(modelKey, progress, cancellationToken);

    public Task<ProjectionGenerations> GetGenerationsAsync(CancellationToken cancellationToken = default) => Projections.GetGenerationsAsync(cancellationToken);

    public Task<FeedStatus> GetFeedStatusAsync(CancellationToken cancellationToken = default) => Projections.GetFeedStatusAsync(cancellationToken);

    public Task PokeAsync(CancellationToken cancellationToken = default) => Projections.PokeAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _host.Services.GetRequiredService<TimeProvider>());
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
