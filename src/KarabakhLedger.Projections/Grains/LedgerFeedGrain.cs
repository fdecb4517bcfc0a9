using System.Collections.Immutable;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Telemetry;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Feed;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Changes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace KarabakhLedger.Projections.Grains;

/// <summary>
/// The feed of one generation (see <see cref="ILedgerFeedGrain"/>). A grain timer (which keeps the activation
/// alive) reads the ledger after the checkpoint in batches, hands each dyad its part of a batch, waits for every
/// dyad to acknowledge, and only then writes the new checkpoint. A crash anywhere in between makes the next
/// activation deliver the batch again, which the dyads ignore by position: at least once, applied exactly once.
/// The feed of a pending generation tells the registry when it reaches the end of the ledger; the feed of a
/// retired generation stops and drops its change log. Between the dyads' acknowledgements and the checkpoint, the feed
/// asks the dyads of the batch for their change-log entries (then the country dyads the batch's actor pairs roll up into)
/// and stores them in one transaction, so the change log always holds every change up to some position.
/// </summary>
[GrainType("karabakh.ledger-feed")]
public sealed partial class LedgerFeedGrain(
    [PersistentState("feed", ProjectionStorage.Name)] IPersistentState<FeedState> state,
    ILedgerStore store,
    ChangeLog changeLog,
    ActorRegistry actors,
    [FromKeyedServices(ProjectionClock.Key)] TimeProvider clock,
    IOptions<LedgerProjectionOptions> options,
    ILogger<LedgerFeedGrain> log) : Grain, ILedgerFeedGrain
{
    /// <summary>The change requests one <see cref="IDyadGrain.ChangesAsync"/> call carries (see <see cref="ChangesInSlicesAsync"/>).</summary>
    private const int ChangesPerCall = 16;

    private readonly LedgerProjectionOptions _options = options.Value;
    private TaskCompletionSource _changed = NewSignal();
    private int _generation;
    private GenerationRole _role;
    private string _model = "";
    private long _floor = -1;
    private long _horizon;
    private IGrainTimer? _timer;
    private bool _stopped;
    private bool _caughtUp;
    private bool _lastBatchFull;
    private string? _lastError;
    private long _deliveredHere;
    private TimeSpan _busy;
    private readonly HashSet<string> _indexed = new(StringComparer.Ordinal);

    private static readonly GrainType DyadGrainType = GrainType.Create("karabakh.dyad");
    private static readonly GrainType RollupIndexGrainType = GrainType.Create("karabakh.rollup-index");

    private FeedState S => state.State;

    private IProjectionRegistryGrain Registry => GrainFactory.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _generation = ProjectionKeys.ParseFeed(this.GetPrimaryKeyString());
        await CheckCheckpointAsync(cancellationToken);
        _timer = this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions(TimeSpan.Zero, _options.PollInterval)
        {
            Interleave = false,
            KeepAlive = true,
        });
        LogActive(log, _generation, RuntimeIdentity, S.Checkpoint);
        await base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _changed.TrySetResult();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<FeedStatus> EnsureRunningAsync() => Task.FromResult(Status());

    public Task PokeAsync() => PumpAsync(CancellationToken.None);

    public Task<FeedStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task<long> GetHeadAsync() => Math.Max(S.Checkpoint, await store.GetHeadPositionAsync());

    public async Task<FeedStatus> WaitForPositionAsync(long position, TimeSpan maxWait)
    {
        if (S.Checkpoint < position && !_stopped)
        {
            await this.AsReference<ILedgerFeedGrain>().PokeAsync();
        }

        await WaitUntilAsync(() => S.Checkpoint >= position, maxWait);
        return Status();
    }

    public async Task<FeedStatus> WaitForChangeAsync(FeedStatus seen, TimeSpan maxWait)
    {
        await WaitUntilAsync(() => Status() != seen, maxWait);
        return Status();
    }

    /// <summary>Waits for <paramref name="done"/>, checked whenever the feed signals a change, at most <paramref name="maxWait"/>.</summary>
    private async Task WaitUntilAsync(Func<bool> done, TimeSpan maxWait)
    {
        var started = clock.GetTimestamp();
        while (!done() && !_stopped)
        {
            var remaining = maxWait - clock.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            using var cancel = new CancellationTokenSource();
            await Task.WhenAny(_changed.Task, Task.Delay(remaining, clock, cancel.Token));
            await cancel.CancelAsync();
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return;
        }

        try
        {
            var generations = await Registry.GetAsync();
            _role = generations.RoleOf(_generation);
            if (_role is GenerationRole.Retired or GenerationRole.Unknown)
            {
                await changeLog.DropAsync(_generation, cancellationToken);
                Stop($"generation {_generation} is {_role.ToString().ToLowerInvariant()}");
                return;
            }

            _model = (_role == GenerationRole.Active ? generations.Active : generations.Pending!).ModelKey;

            await DeliverAsync(cancellationToken);
            _lastError = null;
            if (_caughtUp && _role == GenerationRole.Pending && await Registry.CompleteReplayAsync(_generation, S.Checkpoint))
            {
                _role = GenerationRole.Active;
                await ReleaseRetiredAsync();
            }
        }
        catch (InconsistentStateException e)
        {
            LogCheckpointWrittenElsewhere(log, e, _generation);
            Stop("another activation of this feed wrote its checkpoint");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Retried at the next tick; until then the error is in the status.
            _lastError = $"{e.GetType().Name}: {e.Message}";
            LogDeliveryFailed(log, e, _generation, S.Checkpoint);
        }
        finally
        {
            Signal();
        }
    }

    /// <summary>
    /// Asks every active dyad and roll-up grain of a retired generation, on every silo, to deactivate. Once this
    /// feed's replay is live nobody asks them anything again, and together they hold a whole generation's state:
    /// left to Orleans' idle collection, a replay would need twice the memory of the projections for as long.
    /// </summary>
    private async Task ReleaseRetiredAsync()
    {
        var generations = await Registry.GetAsync();
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var releases = new List<Task>();
        foreach (var id in await management.GetActiveGrains(DyadGrainType))
        {
            if (IsRetired(id, generations))
            {
                releases.Add(GrainFactory.GetGrain<IDyadGrain>(id.Key.ToString()!).ReleaseAsync());
            }
        }

        foreach (var id in await management.GetActiveGrains(RollupIndexGrainType))
        {
            if (IsRetired(id, generations))
            {
                releases.Add(GrainFactory.GetGrain<IRollupIndexGrain>(id.Key.ToString()!).ReleaseAsync());
            }
        }

        await Task.WhenAll(releases);
        LogReleased(log, _generation, releases.Count);

        static bool IsRetired(GrainId id, ProjectionGenerations generations) =>
            ProjectionKeys.TryParseGeneration(id.Key.ToString()!, out var generation) && generations.RoleOf(generation) == GenerationRole.Retired;
    }

    /// <summary>
    /// Registers each actor pair of the batch, the first time this activation sees it, with the roll-up index of every
    /// country dyad it could roll up into, before its events are delivered: a query of the country dyad then finds it.
    /// </summary>
    private async Task IndexRollupsAsync(IReadOnlyList<StoredEvent> batch)
    {
        var registrations = new List<Task>();
        foreach (var streamId in batch.Select(e => e.StreamId).Distinct(StringComparer.Ordinal))
        {
            if (_indexed.Contains(streamId) || !actors.TryDyadOfStream(streamId, out var dyad))
            {
                continue;
            }

            registrations.AddRange(actors.CountryDyadCandidates(dyad)
                .Where(country => country != dyad)
                .Select(country => GrainFactory.GetGrain<IRollupIndexGrain>(ProjectionKeys.RollupIndex(_generation, country)).RegisterAsync(dyad.Key)));
        }

        await Task.WhenAll(registrations);
        foreach (var streamId in batch.Select(e => e.StreamId))
        {
            _indexed.Add(streamId);
        }
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var delivered = 0;
        try
        {
            while (!_stopped)
            {
                // Catching up: after a full batch, up to and including the partial one that reaches the head.
                var catchingUp = _lastBatchFull;
                var size = catchingUp ? _options.CatchUpBatchSize : _options.BatchSize;
                var batch = await ReadBatchAsync(size, cancellationToken);
                if (batch.Count == 0)
                {
                    _caughtUp = true;
                    return;
                }

                _caughtUp = false;
                using var span = LedgerTelemetry.Start("ledger.feed.batch");
                span?.SetTag("ledger.generation", _generation);
                span?.SetTag("ledger.events", batch.Count);
                span?.SetTag("ledger.position", batch[^1].Position);
                await IndexRollupsAsync(batch);
                await Task.WhenAll(batch
                    .GroupBy(e => e.StreamId, StringComparer.Ordinal)
                    .Select(stream => actors.TryDyadOfStream(stream.Key, out var dyad)
                        ? GrainFactory.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(_generation, dyad))
                            .ApplyAsync([.. stream.Select(e => e.ToMessage())], catchingUp || batch.Count == size)
                        : Task.FromResult(0L)));

                if (_role == GenerationRole.Pending)
                {
                    // A replay logs nothing: readers follow the live generation only, and this one's log starts where it goes live.
                    _horizon = batch[^1].Position;
                }
                else if (catchingUp || batch.Count == size)
                {
                    // Far behind the head (a first build, a start far behind): log only the changes near the head.
                    _horizon = await store.GetHeadPositionAsync(cancellationToken) - Math.Min(_options.ChangeLogRetention, _options.ChangeLogCatchUpWindow);
                }

                await changeLog.AppendAsync(_generation, await ChangesOfAsync([.. batch.Where(e => e.Position > _horizon)]), cancellationToken);
                var last = batch[^1];
                S.Checkpoint = last.Position;
                S.Delivered += batch.Count;
                S.LastEventId = last.EventId;
                S.LastHash = last.Hash;
                // The batch is delivered and its changes logged: recording its checkpoint is not abandoned halfway.
                await state.WriteStateAsync(CancellationToken.None);
                await PruneAsync(cancellationToken);
                _deliveredHere += batch.Count;
                await RecordDeliveryAsync(batch);
                delivered += batch.Count;
                _lastError = null;
                Signal();

                _lastBatchFull = batch.Count == size;
                if (!_lastBatchFull)
                {
                    _caughtUp = true;
                    return;
                }

                if (clock.GetElapsedTime(started) >= _options.PumpSlice)
                {
                    // Let queued calls in, then go on at once.
                    await this.AsReference<ILedgerFeedGrain>().PokeAsync();
                    return;
                }
            }
        }
        finally
        {
            if (delivered > 0)
            {
                _busy += clock.GetElapsedTime(started);
            }
        }
    }

    /// <summary>
    /// The batch's change-log entries: each dyad's for the events of its own stream, then, for each actor pair's entries,
    /// those of the country dyads it could roll up into (entry 1, 2, … of the position, by country key), which keep only
    /// the events that concern them. Ordered by position, then entry.
    /// </summary>
    private async Task<IReadOnlyList<ScoreChange>> ChangesOfAsync(IReadOnlyList<StoredEvent> batch)
    {
        var causes = new Dictionary<long, ChangeCause>();
        var own = new List<Task<IReadOnlyList<ScoreChange>>>();
        foreach (var stream in batch.GroupBy(e => e.StreamId, StringComparer.Ordinal))
        {
            if (actors.TryDyadOfStream(stream.Key, out var dyad))
            {
                var requests = stream.Select(e => new ChangeRequest(causes[e.Position] = new ChangeCause(e.Position, e.EventId, e.Type, e.RecordedAt, dyad.Key), 0, null, []));
                own.Add(ChangesInSlicesAsync(dyad, [.. requests]));
            }
        }

        var owned = (await Task.WhenAll(own)).SelectMany(c => c).ToArray();
        var rollups = owned
            .SelectMany(change => actors.CountryDyadCandidates(Domain.Dyads.Dyad.Parse(change.Dyad))
                .Where(country => country.Key != change.Dyad)
                .OrderBy(country => country.Key, StringComparer.Ordinal)
                .Select((country, i) => (Country: country, Request: new ChangeRequest(causes[change.Position], i + 1, ChangeKind.RolledUp, change.TargetEventIds))))
            .GroupBy(r => r.Country)
            .Select(g => ChangesInSlicesAsync(g.Key, [.. g.Select(r => r.Request)]));
        var rolled = (await Task.WhenAll(rollups)).SelectMany(c => c);
        return [.. owned.Concat(rolled).OrderBy(c => c.Position).ThenBy(c => c.Sequence)];
    }

    /// <summary>
    /// One dyad's changes, asked <see cref="ChangesPerCall"/> requests at a time, one call after the other: a change
    /// costs a derivation of the dyad up to its position, so a catch-up batch of a busy dyad asked in one call would
    /// outlast the grain call timeout.
    /// </summary>
    private async Task<IReadOnlyList<ScoreChange>> ChangesInSlicesAsync(Domain.Dyads.Dyad dyad, IReadOnlyList<ChangeRequest> requests)
    {
        var grain = GrainFactory.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(_generation, dyad));
        var changes = new List<ScoreChange>(requests.Count);
        foreach (var slice in requests.Chunk(ChangesPerCall))
        {
            changes.AddRange(await grain.ChangesAsync([.. slice], _model));
        }

        return changes;
    }

    /// <summary>
    /// Drops the change log's entries more than <see cref="LedgerProjectionOptions.ChangeLogRetention"/> positions behind
    /// the checkpoint, and raises the floor over the positions a catch-up delivered without logging them.
    /// </summary>
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        if (_floor < 0)
        {
            _floor = await changeLog.FloorAsync(_generation, cancellationToken);
        }

        var upTo = Math.Max(S.Checkpoint - _options.ChangeLogRetention, Math.Min(S.Checkpoint, _horizon));
        if (upTo > _floor)
        {
            await changeLog.PruneAsync(_generation, upTo, cancellationToken);
            _floor = upTo;
        }
    }

    private async Task RecordDeliveryAsync(List<Ledger.Store.StoredEvent> batch)
    {
        var generation = new KeyValuePair<string, object?>("ledger.generation", _generation);
        LedgerTelemetry.EventsProjected.Add(batch.Count, generation);
        LedgerTelemetry.FeedLagSeconds.Record(Math.Max(0, (clock.GetUtcNow() - batch[^1].RecordedAt).TotalSeconds), generation);
        if (LedgerTelemetry.FeedLagPositions.Enabled)
        {
            // Only read the head when someone listens: it is one more query per batch.
            LedgerTelemetry.FeedLagPositions.Record(Math.Max(0, await store.GetHeadPositionAsync() - batch[^1].Position), generation);
        }
    }

    private async Task<List<Ledger.Store.StoredEvent>> ReadBatchAsync(int size, CancellationToken cancellationToken)
    {
        var batch = new List<Ledger.Store.StoredEvent>(size);
        await foreach (var e in store.ReadAllAsync(S.Checkpoint, cancellationToken))
        {
            batch.Add(e);
            if (batch.Count == size)
            {
                break;
            }
        }

        return batch;
    }

    /// <summary>
    /// A checkpoint names the event it stands on. If this ledger has no such event at that position, the stored
    /// checkpoint belongs to another ledger (say, a file deleted and seeded anew): start again from 0. A state from
    /// before the change log starts again from 0 too, to write it. Whenever the feed starts from 0, the generation's
    /// change log is emptied first: entries left by another ledger must not stand in for this one's.
    /// </summary>
    private async Task CheckCheckpointAsync(CancellationToken cancellationToken)
    {
        if (S.Checkpoint > 0 && S.ChangeLogged)
        {
            var at = await store.FindEventAsync(S.LastEventId, cancellationToken);
            if (at is not null && at.Position == S.Checkpoint && at.Hash == S.LastHash)
            {
                return;
            }

            LogCheckpointNotInLedger(log, _generation, S.Checkpoint);
        }
        else if (S.Checkpoint > 0)
        {
            LogStatePredatesChangeLog(log, _generation);
        }

        await changeLog.DropAsync(_generation, cancellationToken);
        S.ChangeLogged = true;
        if (S.Checkpoint > 0)
        {
            S.Checkpoint = 0;
            S.LastEventId = Guid.Empty;
            S.LastHash = null;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private void Stop(string why)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _timer?.Dispose();
        LogStopping(log, _generation, why);
        DeactivateOnIdle();
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private FeedStatus Status() => new(
        _generation,
        _role,
        S.Checkpoint,
        S.Delivered,
        _caughtUp,
        _busy > TimeSpan.Zero ? _deliveredHere / _busy.TotalSeconds : 0,
        RuntimeIdentity,
        _lastError);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed of generation {Generation} active on {Silo} at checkpoint {Checkpoint}")]
    private static partial void LogActive(ILogger log, int generation, string silo, long checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The checkpoint of feed {Generation} was written by another activation")]
    private static partial void LogCheckpointWrittenElsewhere(ILogger log, Exception exception, int generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed of generation {Generation} failed at checkpoint {Checkpoint}; retrying")]
    private static partial void LogDeliveryFailed(ILogger log, Exception exception, int generation, long checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Generation}: checkpoint {Checkpoint} is not an event of this ledger; reading it again from the start")]
    private static partial void LogCheckpointNotInLedger(ILogger log, int generation, long checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Generation}: its state predates the change log; delivering the ledger again from the start to write it")]
    private static partial void LogStatePredatesChangeLog(ILogger log, int generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {Generation} is live; released {Count} grains of retired generations")]
    private static partial void LogReleased(ILogger log, int generation, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed of generation {Generation} stops: {Reason}")]
    private static partial void LogStopping(ILogger log, int generation, string reason);
}
