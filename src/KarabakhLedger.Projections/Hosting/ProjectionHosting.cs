using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Grains;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace KarabakhLedger.Projections.Hosting;

/// <summary>Wires the ledger projections into a silo.</summary>
public static class ProjectionHosting
{
    /// <summary>
    /// Adds the projection grains to the silo with their services: the ledger store to follow, the snapshot store
    /// behind the <see cref="ProjectionStorage.Name"/> grain storage and the <see cref="DyadSnapshots"/>, the <see cref="ChangeLog"/> beside it, the <see cref="ProjectionClock"/> (the silo's
    /// <see cref="TimeProvider"/>, the system clock unless one is registered, unless a keyed one is registered first), the bundled <see cref="ModelCatalog"/> (unless one is registered), the event
    /// serializer, the JSON serialization of scoring types, the feed keeper and the <see cref="LedgerProjections"/>
    /// facade. The silo does not own <paramref name="store"/> or <paramref name="snapshots"/>: the caller disposes them.
    /// </summary>
    public static ISiloBuilder AddLedgerProjections(
        this ISiloBuilder silo, ILedgerStore store, ISnapshotStore snapshots, Action<LedgerProjectionOptions>? configure = null)
    {
        silo.Services.AddLedgerProjections(store, snapshots, configure);
        return silo;
    }

    /// <inheritdoc cref="AddLedgerProjections(ISiloBuilder, ILedgerStore, ISnapshotStore, Action{LedgerProjectionOptions}?)"/>
    public static IServiceCollection AddLedgerProjections(
        this IServiceCollection services, ILedgerStore store, ISnapshotStore snapshots, Action<LedgerProjectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshots);
        services.AddOptions<LedgerProjectionOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o =>
            {
                o.Validate();
                return true;
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(ProjectionClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.TryAddSingleton(ModelCatalog.Bundled);
        services.TryAddSingleton(ActorRegistry.Default);
        services.TryAddSingleton(EventSerializer.Default);
        services.AddSingleton(store);
        services.AddSingleton(snapshots);
        services.TryAddSingleton(_ => ChangeLog.For(snapshots));
        services.AddGrainStorage(ProjectionStorage.Name, (sp, _) => new SnapshotGrainStorage(
            sp.GetRequiredService<ISnapshotStore>(),
            new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));
        services.AddSingleton(sp => new DyadSnapshots(
            sp.GetRequiredService<ISnapshotStore>(),
            new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));
        services.AddSingleton<FeedKeeper>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<FeedKeeper>());
        services.AddSingleton(sp => new LedgerProjections(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredKeyedService<TimeProvider>(ProjectionClock.Key),
            sp.GetRequiredService<IOptions<LedgerProjectionOptions>>().Value));
        services.AddLedgerProjectionSerialization();
        return services;
    }
}
