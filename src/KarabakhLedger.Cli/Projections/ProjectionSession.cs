using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;

namespace KarabakhLedger.Cli.Projections;

/// <summary>
/// A ledger with its projections running in an in-process Orleans silo, caught up with the ledger. The
/// projection state lives beside the ledger: <c>NAME.projections.db</c> next to a SQLite file, or the schema
/// <c>&lt;ledger schema&gt;_projections</c> in PostgreSQL.
/// </summary>
public sealed class ProjectionSession : IAsyncDisposable
{
    private readonly ISnapshotStore _snapshots;

    private ProjectionSession(ILedgerStore store, ISnapshotStore snapshots, InProcessLedgerCluster cluster)
    {
        Store = store;
        _snapshots = snapshots;
        Cluster = cluster;
    }

    public ILedgerStore Store { get; }

    public InProcessLedgerCluster Cluster { get; }

    public static async Task<ProjectionSession> OpenAsync(ILedgerStore store, CliContext context, CancellationToken cancellationToken)
    {
        var snapshots = await SnapshotStores.BesideAsync(store, context.Clock, cancellationToken: cancellationToken);
        try
        {
            var cluster = await InProcessLedgerCluster.StartAsync(store, snapshots, clock: context.Clock, cancellationToken: cancellationToken);
            var session = new ProjectionSession(store, snapshots, cluster);
            await cluster.CatchUpAsync(cancellationToken);
            return session;
        }
        catch
        {
            await snapshots.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _snapshots.DisposeAsync();
    }
}
