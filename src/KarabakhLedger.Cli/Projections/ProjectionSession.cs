using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Stores;

namespace KarabakhLedger.Cli.Projections;

/// <summary>
/// A ledger's projections, caught up with the ledger. The projection state lives beside the ledger:
/// <c>NAME.projections.db</c> next to a SQLite file, or the schema <c>&lt;ledger schema&gt;_projections</c> in
/// PostgreSQL. A query session reads that state directly when it is current (<see cref="PersistedProjections"/>) and
/// starts an in-process Orleans silo only when the projections must catch up, saying so on stderr in one line
/// (docs/adr/0022-cli-queries-without-a-silo.md).
/// </summary>
public sealed class ProjectionSession : IAsyncDisposable
{
    private readonly ISnapshotStore _snapshots;
    private readonly PersistedProjections? _persisted;
    private readonly InProcessLedgerCluster? _cluster;

    private ProjectionSession(ILedgerStore store, ISnapshotStore snapshots, PersistedProjections? persisted, InProcessLedgerCluster? cluster)
    {
        Store = store;
        _snapshots = snapshots;
        _persisted = persisted;
        _cluster = cluster;
    }

    public ILedgerStore Store { get; }

    /// <summary>The silo, for sessions opened with <see cref="OpenAsync"/> (demo, replay).</summary>
    public InProcessLedgerCluster Cluster => _cluster ?? throw new InvalidOperationException("This session reads the persisted projections; it runs no silo.");

    /// <summary>Starts the silo and waits until its projections have caught up with the ledger.</summary>
    public static Task<ProjectionSession> OpenAsync(ILedgerStore store, LedgerLocation location, CliContext context, CancellationToken cancellationToken) =>
        OpenAsync(store, location, context, query: false, cancellationToken);

    /// <summary>
    /// For score, timeline and explain: the persisted projections when they are current, otherwise the silo (after one
    /// line on stderr saying why it is needed).
    /// </summary>
    public static Task<ProjectionSession> OpenForQueryAsync(ILedgerStore store, LedgerLocation location, CliContext context, CancellationToken cancellationToken) =>
        OpenAsync(store, location, context, query: true, cancellationToken);

    public Task<ScoreResult> ScoreAsync(Dyad dyad, ScoreQuery query, string modelKey, CancellationToken cancellationToken) =>
        _persisted is { } persisted
            ? persisted.ScoreAsync(dyad, query, modelKey, cancellationToken)
            : Cluster.ScoreAsync(dyad, query, modelKey, cancellationToken);

    public Task<DateOnly?> FirstCountedAsync(Dyad dyad, ScoreQuery query, string modelKey, CancellationToken cancellationToken) =>
        _persisted is { } persisted
            ? persisted.FirstCountedAsync(dyad, query, modelKey, cancellationToken)
            : Cluster.FirstCountedAsync(dyad, query, modelKey, cancellationToken);

    public Task<TimelineResult> TimelineAsync(Dyad dyad, DateOnly from, DateOnly through, Bucket bucket, ScoreQuery query, string modelKey, CancellationToken cancellationToken) =>
        _persisted is { } persisted
            ? persisted.TimelineAsync(dyad, from, through, bucket, query, modelKey, cancellationToken)
            : Cluster.TimelineAsync(dyad, from, through, bucket, query, modelKey, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _snapshots.DisposeAsync();
    }

    private static async Task<ProjectionSession> OpenAsync(ILedgerStore store, LedgerLocation location, CliContext context, bool query, CancellationToken cancellationToken)
    {
        var snapshots = await location.OpenProjectionsAsync(context.Clock, cancellationToken: cancellationToken);
        InProcessLedgerCluster? cluster = null;
        try
        {
            if (query)
            {
                var (persisted, behind) = await PersistedProjections.OpenIfCurrentAsync(store, snapshots, cancellationToken: cancellationToken);
                if (persisted is not null)
                {
                    return new ProjectionSession(store, snapshots, persisted, null);
                }

                await context.Error.WriteLineAsync($"Catching up the projections in a silo first: {behind}.");
            }

            cluster = await InProcessLedgerCluster.StartAsync(store, snapshots, clock: context.Clock, cancellationToken: cancellationToken);
            await cluster.CatchUpAsync(cancellationToken);
            return new ProjectionSession(store, snapshots, null, cluster);
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            await snapshots.DisposeAsync();
            throw;
        }
    }
}
