using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Projections.Hosting;

/// <summary>How the projections run. The defaults suit a CLI on one machine; tests shorten the intervals.</summary>
public sealed class LedgerProjectionOptions
{
    /// <summary>How often a feed looks for new events when nobody pokes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often every silo makes sure the live feed (and a replay's) is active somewhere in the cluster.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events read and delivered per batch; the feed writes its checkpoint once per batch.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// Events per batch while the feed is catching up (its previous batch was full): fewer, larger grain calls and
    /// checkpoints for a replay or a start far behind the head.
    /// </summary>
    public int CatchUpBatchSize { get; set; } = 4096;

    /// <summary>
    /// The longest a feed delivers in one grain turn before it yields to other calls (and continues at once).
    /// </summary>
    public TimeSpan PumpSlice { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A dyad grain writes its snapshot once it holds at least this many events the snapshot lacks, and at least
    /// <see cref="SnapshotGrowth"/> times the events it holds (so writing snapshots costs O(n) over a stream of n).
    /// </summary>
    public int SnapshotMinEvents { get; set; } = 64;

    public double SnapshotGrowth { get; set; } = 0.25;

    /// <summary>The model the first generation answers with when a query names none.</summary>
    public string InitialModelKey { get; set; } = ModelCatalog.DefaultKey;

    /// <summary>
    /// The longest <c>ReplayAsync</c> goes without reporting progress; it reports at once whenever the replay feed
    /// delivers a batch or changes state.
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many ledger positions of changes the change log keeps behind the feed's checkpoint; older entries are
    /// pruned, and a subscriber resuming before them is told so.
    /// </summary>
    public long ChangeLogRetention { get; set; } = 1_000_000;

    /// <summary>
    /// While the feed catches up (a replay, a first build, a start far behind the head), it logs the changes of only
    /// this many positions behind the head: each change costs a derivation of its dyad, so logging a whole history
    /// would cost O(n²) per dyad. The generation's change-log floor is raised over the positions left out.
    /// </summary>
    public long ChangeLogCatchUpWindow { get; set; } = 1_000;

    /// <summary>How long <c>CatchUpAsync</c> tolerates a feed that reports an error and makes no progress.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        Positive(PollInterval, nameof(PollInterval));
        Positive(KeepAliveInterval, nameof(KeepAliveInterval));
        Positive(PumpSlice, nameof(PumpSlice));
        Positive(ProgressInterval, nameof(ProgressInterval));
        Positive(StallTimeout, nameof(StallTimeout));
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch holds at least one event.");
        }

        if (CatchUpBatchSize < BatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(CatchUpBatchSize), CatchUpBatchSize, $"A catch-up batch holds at least {nameof(BatchSize)} events.");
        }

        if (ChangeLogRetention < 1 || ChangeLogCatchUpWindow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ChangeLogRetention), ChangeLogRetention, "The change log keeps at least one position.");
        }

        if (SnapshotMinEvents < 1 || SnapshotGrowth < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SnapshotMinEvents), "Snapshot thresholds must be positive.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }
}
