using System.Reflection;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Feed;
using KarabakhLedger.Projections.Grains;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// The live projection generation as its grains persisted it, read without a silo (docs/adr/0022-cli-queries-without-a-silo.md).
/// It is only opened when it is current: the registry names a live generation and no replay, and that generation's
/// feed checkpoint stands on the ledger's head event (same position, id and hash). Then every event has been
/// delivered and every actor pair is in the roll-up indexes, so a query needs only what the dyad grains would read
/// on activation: each dyad's snapshot, completed from its own stream after the snapshot's last event (checked by id
/// and hash; a snapshot the stream does not continue is ignored and the stream read from version 1). The answer is
/// the scoring library's, over the same events, as the grains give it. Nothing is written.
/// </summary>
public sealed class PersistedProjections
{
    private static readonly Lazy<IGrainStorageSerializer> StateSerializer = new(() =>
        new OrleansGrainStorageSerializer(new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(DyadSnapshot).Assembly).AddAssembly(typeof(LedgerEventMessage).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>()));

    private static readonly StateKey Registry = StateKey.Of<ProjectionRegistryGrain, RegistryState>();
    private static readonly StateKey Feed = StateKey.Of<LedgerFeedGrain, FeedState>();
    private static readonly StateKey DyadState = StateKey.Named<DyadGrain>(DyadSnapshots.StateName);
    private static readonly StateKey Rollup = StateKey.Of<RollupIndexGrain, RollupIndexState>();

    private readonly ILedgerStore _ledger;
    private readonly ISnapshotStore _snapshots;
    private readonly DyadSnapshots _dyadSnapshots;
    private readonly EventSerializer _events = EventSerializer.Default;
    private readonly ModelCatalog _models;
    private readonly ActorRegistry _actors;
    private (Dyad Dyad, ScoreQuery Query, ScoringModel Model, IReadOnlyList<ContributionSet> Sets)? _lastDerived;

    private PersistedProjections(ILedgerStore ledger, ISnapshotStore snapshots, GenerationInfo generation, long position, ModelCatalog models, ActorRegistry actors)
    {
        _ledger = ledger;
        _snapshots = snapshots;
        _dyadSnapshots = new DyadSnapshots(snapshots, StateSerializer.Value);
        Generation = generation;
        Position = position;
        _models = models;
        _actors = actors;
    }

    /// <summary>The live generation read.</summary>
    public GenerationInfo Generation { get; }

    /// <summary>The ledger position the projection stands on (the ledger's head when it was opened).</summary>
    public long Position { get; }

    /// <summary>
    /// The persisted live projection of <paramref name="ledger"/> when it is current; otherwise null and, in one
    /// phrase, why the projections must catch up first (nothing persisted yet, a replay in progress, the checkpoint
    /// behind the head or not an event of this ledger, or state this version cannot read).
    /// </summary>
    public static async Task<(PersistedProjections? Projections, string? Behind)> OpenIfCurrentAsync(
        ILedgerStore ledger, ISnapshotStore snapshots, ModelCatalog? models = null, ActorRegistry? actors = null, CancellationToken cancellationToken = default)
    {
        RegistryState? registry;
        FeedState? feed = null;
        try
        {
            registry = await ReadAsync<RegistryState>(snapshots, Registry, ProjectionKeys.Registry, cancellationToken);
            if (registry?.Active is { } live)
            {
                feed = await ReadAsync<FeedState>(snapshots, Feed, ProjectionKeys.Feed(live.Id), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not LedgerStoreUnavailableException)
        {
            return (null, $"their stored state could not be read ({e.GetType().Name})");
        }

        if (registry?.Active is not { } active || feed is null)
        {
            return (null, "none are stored yet");
        }

        if (registry.Pending is { } pending)
        {
            return (null, $"generation {pending.Id} under {pending.ModelKey} is being replayed");
        }

        var head = await ledger.GetHeadPositionAsync(cancellationToken);
        if (feed.Checkpoint < head)
        {
            return (null, $"they stand at position {feed.Checkpoint}, the ledger at {head}");
        }

        if (feed.Checkpoint > head || (head > 0 && !await StandsOnAsync(ledger, feed, cancellationToken)))
        {
            return (null, $"their checkpoint {feed.Checkpoint} is not an event of this ledger");
        }

        return (new PersistedProjections(ledger, snapshots, active, head, models ?? ModelCatalog.Bundled, actors ?? ActorRegistry.Default), null);
    }

    /// <summary>The dyad's score, as <see cref="IDyadGrain.ScoreAsync"/> of the live generation gives it.</summary>
    public async Task<ScoreResult> ScoreAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        var model = _models.Get(modelKey ?? Generation.ModelKey);
        return Scorer.Score(dyad, query, model, await DeriveAsync(dyad, query, model, cancellationToken));
    }

    /// <summary>Where the dyad's timeline starts by default, as <see cref="IDyadGrain.FirstCountedAsync"/> of the live generation gives it.</summary>
    public async Task<DateOnly?> FirstCountedAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default) =>
        TimelineRange.FirstDay((await DeriveAsync(dyad, query, _models.Get(modelKey ?? Generation.ModelKey), cancellationToken)).SelectMany(set => set.Contributions));

    /// <summary>The dyad's timeline, as <see cref="IDyadGrain.TimelineAsync"/> of the live generation gives it.</summary>
    public async Task<TimelineResult> TimelineAsync(
        Dyad dyad, DateOnly from, DateOnly through, Bucket bucket, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        var model = _models.Get(modelKey ?? Generation.ModelKey);
        var sets = await DeriveAsync(dyad, query, model, cancellationToken);
        return Scorer.Timeline(dyad, from, through, bucket, query, model, sets.SelectMany(set => set.Contributions));
    }

    /// <summary>The derivations of the dyad's own stream and, for a country dyad, of every actor pair in its roll-up index.</summary>
    private async Task<IReadOnlyList<ContributionSet>> DeriveAsync(Dyad dyad, ScoreQuery query, ScoringModel model, CancellationToken cancellationToken)
    {
        // A timeline asks twice (its default start, then its buckets): the second is the first's answer.
        if (_lastDerived is { } last && last.Dyad == dyad && last.Query == query && ReferenceEquals(last.Model, model))
        {
            return last.Sets;
        }

        var sets = await DeriveFromStreamsAsync(dyad, query, model, cancellationToken);
        _lastDerived = (dyad, query, model, sets);
        return sets;
    }

    private async Task<IReadOnlyList<ContributionSet>> DeriveFromStreamsAsync(Dyad dyad, ScoreQuery query, ScoringModel model, CancellationToken cancellationToken)
    {
        var others = _actors.IsCountryDyad(dyad)
            ? (await ReadAsync<RollupIndexState>(_snapshots, Rollup, ProjectionKeys.RollupIndex(Generation.Id, dyad), cancellationToken))?.Dyads ?? []
            : [];
        var streams = await Task.WhenAll(new[] { dyad }.Concat(others.Select(Dyad.Parse)).Select(d => EventsOfAsync(d, cancellationToken)));
        return Scorer.RolledUpDerivation(dyad, streams, query, model, _actors);
    }

    /// <summary>
    /// A dyad's events as its grain holds them after activation: the snapshot, then the stream after its last event,
    /// up to <see cref="Position"/>.
    /// </summary>
    private async Task<DyadEvents> EventsOfAsync(Dyad dyad, CancellationToken cancellationToken)
    {
        var held = (await _dyadSnapshots.ReadAsync(DyadState.GrainId(ProjectionKeys.Dyad(Generation.Id, dyad)), cancellationToken)).Events;

        var tail = new List<LedgerEventMessage>();
        var verified = held.IsEmpty;
        await foreach (var e in _ledger.ReadStreamAsync(dyad.StreamId, Math.Max(1, held.Length), cancellationToken))
        {
            if (verified)
            {
                tail.Add(e.ToMessage());
            }
            else if (e.StreamVersion == held.Length && e.EventId == held[^1].EventId && e.Hash == held[^1].Hash)
            {
                verified = true;
            }
            else
            {
                break;
            }
        }

        if (!verified)
        {
            // The snapshot is not a prefix of this ledger's stream: the stream alone decides, as in the grain.
            held = [];
            tail.Clear();
            await foreach (var e in _ledger.ReadStreamAsync(dyad.StreamId, 1, cancellationToken))
            {
                tail.Add(e.ToMessage());
            }
        }

        // Events appended since the projection was opened are left out: the answer stands at one position.
        return DyadEvents.Empty(dyad).Apply(held.Concat(tail).Where(m => m.Position <= Position).Select(m => m.ToProjected(_events)));
    }

    private static async Task<bool> StandsOnAsync(ILedgerStore ledger, FeedState feed, CancellationToken cancellationToken)
    {
        var at = await ledger.FindEventAsync(feed.LastEventId, cancellationToken);
        return at is not null && at.Position == feed.Checkpoint && at.Hash == feed.LastHash;
    }

    private static async Task<T?> ReadAsync<T>(ISnapshotStore snapshots, StateKey key, string grainKey, CancellationToken cancellationToken)
        where T : class
    {
        var stored = await snapshots.ReadAsync(key.StateName, key.GrainId(grainKey), cancellationToken);
        return stored is null ? null : StateSerializer.Value.Deserialize<T>(new BinaryData(stored.Data));
    }

    /// <summary>
    /// Where a grain class keeps one state: its <c>[PersistentState]</c> name and its grain type, read from the grain
    /// class itself so the reader finds exactly what <see cref="SnapshotGrainStorage"/> wrote.
    /// </summary>
    private sealed record StateKey(string StateName, Orleans.Runtime.GrainType GrainType)
    {
        public static StateKey Of<TGrain, TState>()
        {
            var name = typeof(TGrain).GetConstructors().Single().GetParameters()
                .Single(p => p.ParameterType == typeof(Orleans.Runtime.IPersistentState<TState>))
                .GetCustomAttribute<Orleans.Runtime.PersistentStateAttribute>()!.StateName;
            return Named<TGrain>(name);
        }

        /// <summary>A state the grain keeps in the store itself, under <paramref name="stateName"/>.</summary>
        public static StateKey Named<TGrain>(string stateName)
        {
            var grain = typeof(TGrain);
            return new StateKey(stateName, grain.GetCustomAttribute<GrainTypeAttribute>()!.GetGrainType(EmptyServices.Instance, grain));
        }

        public string GrainId(string key) => Orleans.Runtime.GrainId.Create(GrainType, key).ToString();
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
