using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace KarabakhLedger.Projections.Tests.Infrastructure;

/// <summary>
/// A real Orleans cluster of in-process silos (Orleans' TestingHost) running the projections over one ledger and
/// one projection store, with a client-side <see cref="LedgerProjections"/> facade. Intervals are short and silo
/// failure detection quick, so a killed silo's grains come back on a survivor within a few seconds.
/// </summary>
public sealed class TestProjectionCluster : IAsyncDisposable
{
    private TestProjectionCluster(InProcessTestCluster cluster, LedgerProjectionOptions options)
    {
        Cluster = cluster;
        Projections = new LedgerProjections(cluster.Client, TimeProvider.System, options);
    }

    public InProcessTestCluster Cluster { get; }

    public LedgerProjections Projections { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<TestProjectionCluster> StartAsync(
        ILedgerStore store, ISnapshotStore snapshots, short silos = 2, Action<LedgerProjectionOptions>? configure = null, ActorRegistry? actors = null)
    {
        var options = new LedgerProjectionOptions();
        Configure(options);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            if (actors is not null)
            {
                silo.Services.AddSingleton(actors);
            }

            silo.AddLedgerProjections(store, snapshots, Configure);
            silo.Configure<ClusterMembershipOptions>(m =>
            {
                m.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                m.NumMissedProbesLimit = 2;
                m.NumVotesForDeathDeclaration = 1;
                m.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            silo.Configure<SiloMessagingOptions>(m => m.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        builder.ConfigureClient(client =>
        {
            client.Services.AddLedgerProjectionSerialization();
            client.Configure<ClientMessagingOptions>(m => m.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TestProjectionCluster(cluster, options);

        void Configure(LedgerProjectionOptions o)
        {
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(250);
            o.ProgressInterval = TimeSpan.FromMilliseconds(50);
            o.StallTimeout = TimeSpan.FromSeconds(20);
            configure?.Invoke(o);
        }
    }

    public ILedgerFeedGrain Feed(int generation) => Client.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(generation));

    public IDyadGrain Dyad(int generation, Domain.Dyads.Dyad dyad) => Client.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(generation, dyad));

    /// <summary>The silo whose identity a grain reported (<c>RuntimeIdentity</c>).</summary>
    public InProcessSiloHandle SiloOf(string runtimeIdentity) =>
        Cluster.Silos.Single(s => s.SiloAddress.ToString() == runtimeIdentity || s.SiloAddress.ToParsableString() == runtimeIdentity);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        finally
        {
            await Cluster.DisposeAsync();
        }
    }
}
