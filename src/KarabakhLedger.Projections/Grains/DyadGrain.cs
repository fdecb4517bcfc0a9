using System.Collections.Immutable;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Telemetry;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Feed;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Changes;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KarabakhLedger.Projections.Grains;

/// <summary>
/// One dyad of one generation (see <see cref="IDyadGrain"/>). Its state is the stream's events from version 1
/// without a hole: rebuilt on activation from the snapshot, then completed from the dyad's own stream (only the
/// tail after the snapshot, so neither the ledger nor the whole stream is read again). Because activation always
/// completes from the stream, snapshots may lag: they are written once enough new events have accumulated while the
/// feed is not catching up (so a replay writes none), and on deactivation unless the generation is retired. The
/// stream decides; the snapshot only saves reading. A grain with no snapshot reads nothing on activation: the first
/// delivery completes it (from version 1, as in a replay, it needs no read at all; after a hole it reads the
/// stream), and a query before any delivery reads the stream.
/// The grain keeps the projected events and, of the stored events, only the identity of the last one; a save reads
/// the events after the saved version from the stream again and appends them as the snapshot's next chunk
/// (<see cref="DyadSnapshots"/>, docs/adr/0028-tail-growing-dyad-snapshots.md).
/// </summary>
[GrainType("karabakh.dyad")]
public sealed partial class DyadGrain(
    DyadSnapshots snapshots,
    ILedgerStore store,
    EventSerializer serializer,
    ModelCatalog models,
    ActorRegistry actors,
    IOptions<LedgerProjectionOptions> options,
    ILogger<DyadGrain> log) : Grain, IDyadGrain
{
    private string _key = "";
    private string _grainId = "";
    private int _generation;
    private Dyad _dyad = null!;
    private DyadEvents _events = null!;
    private HeldEvent _last;
    private string? _etag;
    private int _chunks;
    private long _snapshotVersion;
    private int _readOnActivation;
    private bool _complete;
    private OwnDerivations _derivations = null!;
    private readonly ChangeSides _sides = new();
    private (IReadOnlyList<ContributionSet> Sets, ScoreResult Result)? _lastScore;
    private (IReadOnlyList<ContributionSet> Sets, DateOnly From, DateOnly To, Bucket Bucket, TimelineResult Result)? _lastTimeline;

    private long StreamVersion => _last.StreamVersion;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        _grainId = this.GetGrainId().ToString();
        (_generation, _dyad) = ProjectionKeys.ParseDyad(_key);
        _events = DyadEvents.Empty(_dyad);
        _derivations = new OwnDerivations(_dyad);
        var restored = await snapshots.ReadAsync(_grainId, cancellationToken);
        if (restored.Problem is { } problem)
        {
            LogSnapshotNotUsable(log, _key, problem);
        }

        foreach (var m in restored.Events)
        {
            Append(m);
        }

        (_etag, _chunks, _snapshotVersion) = (restored.ETag, restored.Chunks, restored.SavedVersion);
        if (StreamVersion > 0)
        {
            await CompleteAsync(cancellationToken);
            await SaveIfDueAsync();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (StreamVersion > _snapshotVersion && !await IsRetiredAsync(cancellationToken))
        {
            try
            {
                await SaveAsync(cancellationToken);
            }
            catch (Exception e)
            {
                // The stream still has everything; the next activation reads a longer tail.
                LogSnapshotNotSavedOnDeactivation(log, e, _key);
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<long> ApplyAsync(ImmutableArray<LedgerEventMessage> events, bool catchingUp)
    {
        using var span = LedgerTelemetry.Start("ledger.dyad.apply");
        span?.SetTag("ledger.dyad", _dyad.Key);
        span?.SetTag("ledger.events", events.Length);
        foreach (var m in events)
        {
            if (m.StreamVersion <= StreamVersion)
            {
                if (!_events.ByPosition.ContainsKey(m.Position))
                {
                    LogVersionAtOtherPosition(log, _key, m.StreamVersion, m.Position);
                }

                continue;
            }

            if (m.StreamVersion > StreamVersion + 1)
            {
                // A hole: fill it (and anything after it) from the stream itself.
                await CatchUpAsync(CancellationToken.None);
                if (m.StreamVersion <= StreamVersion)
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"{this.GetPrimaryKeyString()}: the feed delivered version {m.StreamVersion}, but the stream ends at {StreamVersion}.");
            }

            Append(m);
        }

        // Applied from version 1 or after what was held, holes filled: nothing before the last event is missing.
        _complete = true;
        if (!catchingUp)
        {
            await SaveIfDueAsync();
        }

        return _events.LastPosition;
    }

    public async Task<ScoreResult> ScoreAsync(ScoreQuery query, string modelKey)
    {
        var model = models.Get(modelKey);
        var sets = await AllContributionsAsync(query, model, modelKey);
        if (_lastScore is { } last && Reusable(last.Sets, sets))
        {
            return last.Result with { KnownAt = query.KnownAt };
        }

        var result = Scorer.Score(_dyad, query, model, sets);
        _lastScore = (sets, result);
        return result;
    }

    public async Task<ContributionSet> ContributionsTowardAsync(string countryDyad, ScoreQuery query, string modelKey)
    {
        await CompleteAsync(CancellationToken.None);
        var country = Dyad.Parse(countryDyad);
        return Scorer.DeriveToward(_events, country, query, models.Get(modelKey), actors);
    }

    public async Task<ImmutableArray<ScoreChange>> ChangesAsync(ImmutableArray<ChangeRequest> requests, string modelKey)
    {
        await CompleteAsync(CancellationToken.None);
        var model = models.Get(modelKey);
        var queries = requests.Select(r => _derivations.QueryAt(r.Cause)).ToArray();
        var cuts = requests.SelectMany((r, i) => new[] { new CutQuery(r.Cause.Position - 1, queries[i]), new CutQuery(r.Cause.Position, queries[i]) }).ToImmutableArray();
        var others = actors.IsCountryDyad(_dyad) && cuts.Length > 0
            ? await Task.WhenAll((await GrainFactory.GetGrain<IRollupIndexGrain>(ProjectionKeys.RollupIndex(_generation, _dyad)).GetAsync())
                .Select(other => GrainFactory.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(_generation, Dyad.Parse(other))).ContributionsTowardAtAsync(_dyad.Key, cuts, modelKey)))
            : [];
        var changes = ImmutableArray.CreateBuilder<ScoreChange>(requests.Length);
        for (var i = 0; i < requests.Length; i++)
        {
            var (request, query) = (requests[i], queries[i]);
            var before = _sides.Of(query, model, _derivations.At(request.Cause.Position - 1, query, model), others.Select(o => o[2 * i]));
            var after = _sides.Of(query, model, _derivations.At(request.Cause.Position, query, model), others.Select(o => o[(2 * i) + 1]));
            if (request.Kind is { } kind)
            {
                if (ScoreChanges.Concerns(request.Cause, request.Targets, before, after))
                {
                    changes.Add(ScoreChanges.Between(_dyad, request.Cause, request.Sequence, kind, request.Targets, query, model, before, after));
                }
            }
            else
            {
                var (own, targets) = ScoreChanges.KindOf(_events.ByPosition[request.Cause.Position].Event);
                changes.Add(ScoreChanges.Between(_dyad, request.Cause, request.Sequence, own, targets, query, model, before, after));
            }
        }

        return changes.ToImmutable();
    }

    public async Task<ImmutableArray<ContributionSet>> ContributionsTowardAtAsync(string countryDyad, ImmutableArray<CutQuery> cuts, string modelKey)
    {
        await CompleteAsync(CancellationToken.None);
        var country = Dyad.Parse(countryDyad);
        var model = models.Get(modelKey);
        return [.. cuts.Select(cut => Scorer.DeriveToward(ScoreChanges.UpTo(_events, cut.Position), country, cut.Query, model, actors))];
    }

    public async Task<ScoreResult> FiguresAsync(ScoreQuery query, string modelKey) =>
        await ScoreAsync(query, modelKey) with { Contributions = [], SetAside = [] };

    public async Task<ScoreResult> DerivationAsync(ScoreQuery query, string modelKey, int offset, int limit) =>
        (await ScoreAsync(query, modelKey)).PageOf(offset, limit);

    public async Task<DateOnly?> FirstCountedAsync(ScoreQuery query, string modelKey) =>
        TimelineRange.FirstDay((await AllContributionsAsync(query, models.Get(modelKey), modelKey)).SelectMany(set => set.Contributions));

    public async Task<TimelineResult> TimelineAsync(DateOnly from, DateOnly through, Bucket bucket, ScoreQuery query, string modelKey)
    {
        var model = models.Get(modelKey);
        var sets = await AllContributionsAsync(query, model, modelKey);
        if (_lastTimeline is { } last && Reusable(last.Sets, sets) && (last.From, last.To, last.Bucket) == (from, through, bucket))
        {
            return last.Result with { KnownAt = query.KnownAt };
        }

        var result = Scorer.Timeline(_dyad, from, through, bucket, query, model, sets.SelectMany(set => set.Contributions));
        _lastTimeline = (sets, from, through, bucket, result);
        return result;
    }

    /// <summary>
    /// True when a result computed from <paramref name="then"/> answers <paramref name="now"/>: both are the dyad's own
    /// derivation alone and the same one (<see cref="OwnDerivations"/> hands out the same instance for the same events
    /// and question), so only the known-at time the result echoes can differ. With roll-ups, nothing is reused.
    /// </summary>
    private static bool Reusable(IReadOnlyList<ContributionSet> then, IReadOnlyList<ContributionSet> now) =>
        then.Count == 1 && now.Count == 1 && ReferenceEquals(then[0], now[0]);

    /// <summary>
    /// This stream's contributions and, for a country dyad, those of every actor pair in its roll-up index (each
    /// asked of its own grain, which completes itself from its stream first), each with what its dedup set aside.
    /// </summary>
    private async Task<IReadOnlyList<ContributionSet>> AllContributionsAsync(ScoreQuery query, ScoringModel model, string modelKey)
    {
        await CompleteAsync(CancellationToken.None);
        var own = _derivations.At(_events.LastPosition, query, model);
        if (!actors.IsCountryDyad(_dyad))
        {
            return [own];
        }

        var others = await GrainFactory.GetGrain<IRollupIndexGrain>(ProjectionKeys.RollupIndex(_generation, _dyad)).GetAsync();
        var sets = await Task.WhenAll(others.Select(other =>
            GrainFactory.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(_generation, Dyad.Parse(other)))
                .ContributionsTowardAsync(_dyad.Key, query, modelKey)));
        return [own, .. sets];
    }

    public async Task<DyadStatus> GetStatusAsync()
    {
        await CompleteAsync(CancellationToken.None);
        return new DyadStatus(_generation, _dyad.Key, _events.LastPosition, StreamVersion, _events.Count, _snapshotVersion, _readOnActivation, RuntimeIdentity);
    }

    public Task ReleaseAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>
    /// True when the registry says this grain's generation was replaced or abandoned: its snapshot would never be
    /// read. When the registry cannot be asked (the cluster is stopping), the snapshot is written as before.
    /// </summary>
    private async Task<bool> IsRetiredAsync(CancellationToken cancellationToken)
    {
        try
        {
            var generations = await GrainFactory.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry).GetAsync().WaitAsync(cancellationToken);
            return generations.RoleOf(_generation) == GenerationRole.Retired;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRetirementUnknown(log, e, _key);
            return false;
        }
    }

    /// <summary>Reads the stream after what the grain holds, once per activation, unless a delivery completed it.</summary>
    private async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_complete)
        {
            _readOnActivation = await CatchUpAsync(cancellationToken);
            _complete = true;
        }
    }

    /// <summary>
    /// Reads the dyad's stream after what the grain holds. The first event read is the last one held, checked by id
    /// and hash: if the ledger does not have it, the state belongs to another ledger and is rebuilt from version 1.
    /// </summary>
    private async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        var held = StreamVersion;
        var verified = held == 0;
        await foreach (var e in store.ReadStreamAsync(_dyad.StreamId, Math.Max(1, held), cancellationToken))
        {
            if (!verified)
            {
                if (e.StreamVersion != held || e.EventId != _last.EventId || e.Hash != _last.Hash)
                {
                    break;
                }

                verified = true;
                continue;
            }

            Append(e.ToMessage());
            read++;
        }

        if (!verified)
        {
            LogVersionNotInStream(log, _key, held);
            _last = default;
            _events = DyadEvents.Empty(_dyad);
            _derivations.Clear();
            _sides.Clear();

            // The chunks stored are another ledger's: the next save starts them afresh.
            (_chunks, _snapshotVersion) = (0, 0);
            return await CatchUpAsync(cancellationToken);
        }

        return read;
    }

    private void Append(LedgerEventMessage m)
    {
        var projected = m.ToProjected(serializer);
        _events = _events.Apply(projected);
        _derivations.Append(projected);
        _last = new HeldEvent(m.StreamVersion, m.EventId, m.Hash);
    }

    private Task SaveIfDueAsync()
    {
        var pending = StreamVersion - _snapshotVersion;
        var due = Math.Max(options.Value.SnapshotMinEvents, (long)(StreamVersion * options.Value.SnapshotGrowth));
        return pending >= due ? SaveAsync(CancellationToken.None) : Task.CompletedTask;
    }

    /// <summary>Appends the events after the saved version to the snapshot as its next chunk, read again from the stream.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        var tail = await ReadUnsavedAsync(cancellationToken);
        if (tail is null)
        {
            LogUnsavedNotInStream(log, _key, _snapshotVersion + 1, StreamVersion);
            return;
        }

        try
        {
            _etag = await snapshots.AppendAsync(_grainId, _etag, _chunks, tail, cancellationToken);
            _chunks++;
            _snapshotVersion = tail[^1].StreamVersion;
        }
        catch (SnapshotConflictException e)
        {
            // Another activation of this grain wrote first (e.g. while a silo was being declared dead). This one
            // steps aside; the next activation reads the newer snapshot and completes it from the stream.
            LogSnapshotWrittenElsewhere(log, e, _key);
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// The held events after the saved version, as stored: read from the stream, each checked against the event the
    /// grain projected at its position (same hash). Null when the stream does not give exactly those.
    /// </summary>
    private async Task<List<LedgerEventMessage>?> ReadUnsavedAsync(CancellationToken cancellationToken)
    {
        var tail = new List<LedgerEventMessage>((int)(StreamVersion - _snapshotVersion));
        var next = _snapshotVersion + 1;
        await foreach (var e in store.ReadStreamAsync(_dyad.StreamId, next, cancellationToken))
        {
            if (e.StreamVersion > StreamVersion)
            {
                break;
            }

            if (e.StreamVersion != next || !_events.ByPosition.TryGetValue(e.Position, out var held) || held.Hash != e.Hash)
            {
                return null;
            }

            tail.Add(e.ToMessage());
            next++;
        }

        return next == StreamVersion + 1 && tail.Count > 0 ? tail : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of {Grain} is not usable ({Problem}); rebuilding it from the stream")]
    private static partial void LogSnapshotNotUsable(ILogger log, string grain, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain} did not find versions {From} to {To} in its stream as it holds them; snapshot not saved")]
    private static partial void LogUnsavedNotInStream(ILogger log, string grain, long from, long to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the snapshot of {Grain} on deactivation")]
    private static partial void LogSnapshotNotSavedOnDeactivation(ILogger log, Exception exception, string grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain} got version {Version} at position {Position}, but holds that version at another position; ignored")]
    private static partial void LogVersionAtOtherPosition(ILogger log, string grain, long version, long position);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not ask the registry whether {Grain} is retired; saving its snapshot")]
    private static partial void LogRetirementUnknown(ILogger log, Exception exception, string grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain} holds version {Version} that its ledger stream does not have; rebuilding from the stream")]
    private static partial void LogVersionNotInStream(ILogger log, string grain, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of {Grain} was written by another activation; deactivating")]
    private static partial void LogSnapshotWrittenElsewhere(ILogger log, Exception exception, string grain);

    /// <summary>The last stored event the grain holds, as the catch-up check compares it with the stream.</summary>
    private readonly record struct HeldEvent(long StreamVersion, Guid EventId, string Hash);
}
