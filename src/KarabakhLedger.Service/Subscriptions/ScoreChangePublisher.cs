using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Service.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;

namespace KarabakhLedger.Service.Subscriptions;

/// <summary>
/// Publishes every <see cref="RelationshipScoreChanged"/> (all dyads, the default model) as a Wolverine message to
/// this node's handlers, from the ledger's head when the node started onwards. Each node publishes to its own
/// handlers; a follower that must not miss changes across restarts uses the SSE subscription with Last-Event-ID.
/// </summary>
public sealed class ScoreChangePublisher(
    ILedgerStore store,
    EventSerializer serializer,
    ModelCatalog models,
    LedgerProjections projections,
    IGrainFactory grains,
    IMessageBus bus,
    LedgerAppendSignal appended,
    TimeProvider clock,
    IOptions<LedgerServiceOptions> options,
    ILogger<ScoreChangePublisher> log) : BackgroundService
{
    private readonly TaskCompletionSource<long> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the position after which changes are published, once that is known.</summary>
    public Task<long> Started => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = new ScoreChangeReader(store, serializer, models.Default, null, await HeadAsync(stoppingToken));
        log.LogInformation("Publishing score changes after position {Position}", reader.Position);
        _started.TrySetResult(reader.Position);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in reader.ReadAsync(stoppingToken))
                {
                    await bus.PublishAsync(change);
                }

                await appended.WaitAsync(options.Value.SubscriptionPollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store is away for a moment: try again after a poll interval, from the same position.
                log.LogWarning(e, "Publishing score changes failed at position {Position}; retrying", reader.Position);
                await Task.Delay(options.Value.SubscriptionPollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>The ledger's last position now, as the live projection feed sees it (it reads only after its checkpoint).</summary>
    private async Task<long> HeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var live = (await projections.GetGenerationsAsync(cancellationToken)).Active;
                return await grains.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(live.Id)).GetHeadAsync().WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogDebug(e, "The cluster is not ready to say where the ledger ends; retrying");
                await Task.Delay(options.Value.SubscriptionPollInterval, clock, cancellationToken);
            }
        }
    }
}
