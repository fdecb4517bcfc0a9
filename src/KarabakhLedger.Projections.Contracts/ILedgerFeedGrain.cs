using Orleans.Concurrency;

namespace KarabakhLedger.Projections.Contracts;

/// <summary>
/// Follows the ledger's global order from its persisted checkpoint and delivers each event to its dyad grain in
/// the feed's generation. One per generation, key <see cref="ProjectionKeys.Feed"/>: a single grain key, so
/// Orleans keeps one activation of it in the whole cluster and moves it to a survivor when its silo dies.
/// Delivery is at least once: the checkpoint is written only after every dyad of a batch has acknowledged it.
/// </summary>
public interface ILedgerFeedGrain : IGrainWithStringKey
{
    /// <summary>Activates the feed if it is not (its timer then runs while the activation lives); its status.</summary>
    [AlwaysInterleave]
    Task<FeedStatus> EnsureRunningAsync();

    /// <summary>Asks the feed to read the ledger now rather than at its next tick, e.g. after an append.</summary>
    [OneWay]
    Task PokeAsync();

    /// <summary>Where the feed stands: among others, the global position up to which every event has been delivered and acknowledged.</summary>
    [AlwaysInterleave]
    Task<FeedStatus> GetStatusAsync();

    /// <summary>The position of the last event now committed to the ledger (the checkpoint if none is newer).</summary>
    [AlwaysInterleave]
    Task<long> GetHeadAsync();

    /// <summary>
    /// Waits, at most <paramref name="maxWait"/>, until the checkpoint reaches <paramref name="position"/>; then, or
    /// at the time limit, the status. Callers loop on it, so no single call outlives the grain call timeout.
    /// </summary>
    [AlwaysInterleave]
    Task<FeedStatus> WaitForPositionAsync(long position, TimeSpan maxWait);

    /// <summary>
    /// Returns the status as soon as it differs from <paramref name="seen"/> (a batch delivered, caught up, a role
    /// change, an error), or after <paramref name="maxWait"/>: how progress is followed without polling.
    /// </summary>
    [AlwaysInterleave]
    Task<FeedStatus> WaitForChangeAsync(FeedStatus seen, TimeSpan maxWait);
}

/// <summary>
/// A feed at a glance. <see cref="CaughtUp"/>: its last read reached the end of the ledger.
/// <see cref="EventsPerSecond"/>: events delivered per second of delivering, since this activation began.
/// </summary>
[GenerateSerializer, Immutable, Alias("karabakh.feed-status")]
public sealed record FeedStatus(
    [property: Id(0)] int Generation,
    [property: Id(1)] GenerationRole Role,
    [property: Id(2)] long Checkpoint,
    [property: Id(3)] long EventsDelivered,
    [property: Id(4)] bool CaughtUp,
    [property: Id(5)] double EventsPerSecond,
    [property: Id(6)] string Silo,
    [property: Id(7)] string? LastError);
