using Microsoft.Extensions.DependencyInjection;
using KarabakhLedger.Projections.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace KarabakhLedger.Projections.Hosting;

/// <summary>
/// Keeps the feeds alive: every silo, once active and then every <see cref="LedgerProjectionOptions.KeepAliveInterval"/>,
/// asks the registry which generations are live or being replayed and calls their feeds. A feed whose silo died
/// is thereby activated again on a survivor (Orleans keeps one activation per key), where it continues from its
/// checkpoint. Pings are idempotent, so every silo sending them is harmless.
/// </summary>
internal sealed partial class FeedKeeper(
    IGrainFactory grains,
    [FromKeyedServices(ProjectionClock.Key)] TimeProvider clock,
    IOptions<LedgerProjectionOptions> options,
    ILogger<FeedKeeper> log) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FeedKeeper), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Pings the live feed and a replay's feed once.</summary>
    public static async Task KeepAliveAsync(IGrainFactory grains)
    {
        var generations = await grains.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry).GetAsync();
        await grains.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(generations.Active.Id)).EnsureRunningAsync();
        if (generations.Pending is { } pending)
        {
            await grains.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(pending.Id)).EnsureRunningAsync();
        }
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _loop = Task.Run(() => LoopAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends at its next await.
        }

        _stopping.Dispose();
        _stopping = null;
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await KeepAliveAsync(grains).WaitAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // A silo just died or the cluster is still forming: the next round tries again.
                LogKeepAliveFailed(log, e);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(options.Value.KeepAliveInterval, clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Disposes the loop's token source if the silo never stopped this participant.</summary>
    public void Dispose()
    {
        _stopping?.Dispose();
        _stopping = null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Keeping the projection feeds alive failed; retrying")]
    private static partial void LogKeepAliveFailed(ILogger log, Exception exception);
}
