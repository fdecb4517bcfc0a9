using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Service.Following;
using KarabakhLedger.Service.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace KarabakhLedger.Service.Publishing;

/// <summary>
/// Publishes every <see cref="RelationshipScoreChanged"/> of the live projection's change log (all dyads, its model)
/// through Wolverine's
/// transactional outbox: the messages of a batch and the position they reach are stored in one transaction of the
/// message database, so each change is published exactly once across restarts and across the nodes sharing that
/// database (one node publishes at a time; the others find the position already moved). Publication starts at the
/// ledger's head the first time the service runs on a ledger. Durable local queues and any sending endpoint with a
/// durable outbox deliver the messages after the commit (docs/adr/0009-score-change-outbox.md).
/// </summary>
public sealed partial class ScoreChangeOutbox(
    ILedgerStore store,
    ChangeLog changeLog,
    IGrainFactory grains,
    IWolverineRuntime runtime,
    IHostApplicationLifetime lifetime,
    LedgerAppendSignal appended,
    TimeProvider clock,
    IOptions<LedgerServiceOptions> options,
    ILogger<ScoreChangeOutbox> log) : BackgroundService
{
    /// <summary>About the most changes stored in one transaction (a batch never ends inside a position).</summary>
    public const int BatchSize = ScoreChangeFollower.PageSize;

    private readonly TaskCompletionSource<long> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ScoreChangeFollower? _follower;

    /// <summary>Completes with the published position this node first found, once it has claimed the outbox.</summary>
    public Task<long> Started => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStarted.IsCancellationRequested)
        {
            // The host has started, Wolverine's message database with it: publication can begin.
        }

        var database = runtime.Storage as IMessageDatabase
            ?? throw new InvalidOperationException("Score changes need Wolverine's message persistence on a database.");
        var checkpoint = OutboxCheckpoint.For(database);
        var tableReady = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!tableReady)
                {
                    await checkpoint.EnsureTableAsync(stoppingToken);
                    tableReady = true;
                }

                if (await PublishBatchAsync(database, checkpoint, stoppingToken) < BatchSize)
                {
                    await (_follower is { } following
                        ? following.WaitAsync(options.Value.SubscriptionPollInterval, stoppingToken)
                        : appended.WaitAsync(options.Value.SubscriptionPollInterval, clock, stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store or the message database is away for a moment: start again from the committed position.
                _follower = null;
                LogPublishingFailed(log, e);
                await Task.Delay(options.Value.SubscriptionPollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Publishes the changes after the committed position, at most <see cref="BatchSize"/>; returns how many. While no
    /// handler or endpoint takes the message, the position just follows the ledger's head: there is nobody to tell.
    /// </summary>
    private async Task<int> PublishBatchAsync(IMessageDatabase database, OutboxCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var claim = await checkpoint.ClaimAsync(cancellationToken);
        var routed = runtime.RoutingFor(typeof(RelationshipScoreChanged)).Routes.Length > 0;
        var head = claim.Position is null || !routed ? await store.GetHeadPositionAsync(cancellationToken) : 0;
        var from = claim.Position ?? head;
        _started.TrySetResult(from);
        if (!routed)
        {
            var to = Math.Max(from, head);
            if (claim.Position != to)
            {
                await claim.CommitAsync(to, cancellationToken);
            }

            return 0;
        }

        if (_follower?.Cursor.Position != from)
        {
            _follower = new ScoreChangeFollower(changeLog, grains, null, ChangeCursor.After(from));
            LogPublishingAfter(log, from);
            var live = (await grains.GetGrain<Projections.Contracts.IProjectionRegistryGrain>(Projections.Contracts.ProjectionKeys.Registry).GetAsync()).Active;
            if (await changeLog.FloorAsync(live.Id, cancellationToken) is var floor && floor > from)
            {
                LogChangesPruned(log, from, floor);
            }
        }

        var context = new MessageContext(runtime);
        await context.EnlistInOutboxAsync(new DatabaseEnvelopeTransaction(database, claim.Transaction));
        var changes = await _follower.ReadAsync(cancellationToken);
        foreach (var change in changes)
        {
            await context.PublishAsync(change.Message);
        }

        var published = _follower.Cursor.Position;
        if (claim.Position is null || published != from)
        {
            await claim.CommitAsync(published, cancellationToken);
            await context.FlushOutgoingMessagesAsync();
        }

        if (Ledger.Telemetry.LedgerTelemetry.OutboxBacklog.Enabled)
        {
            Ledger.Telemetry.LedgerTelemetry.OutboxBacklog.Record(Math.Max(0, await store.GetHeadPositionAsync(cancellationToken) - published));
        }

        return changes.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing score changes failed; retrying from the committed position")]
    private static partial void LogPublishingFailed(ILogger log, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing score changes after position {Position}")]
    private static partial void LogPublishingAfter(ILogger log, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change log no longer holds the changes after position {Position} up to {Floor} (pruned, or left out by a catch-up); they are not published")]
    private static partial void LogChangesPruned(ILogger log, long position, long floor);
}
