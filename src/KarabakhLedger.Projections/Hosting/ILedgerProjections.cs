using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Projections.Hosting;

/// <summary>
/// What the CLI (or any other front end) asks of the projections. Queries go to the live generation; a model key
/// of null means that generation's model.
/// </summary>
public interface ILedgerProjections
{
    /// <summary>The dyad's score from the live projection (call <see cref="CatchUpAsync"/> first to include the latest appends).</summary>
    Task<ScoreResult> ScoreAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default);

    /// <summary>Where the dyad's timeline starts by default (<see cref="IDyadGrain.FirstCountedAsync"/>).</summary>
    Task<DateOnly?> FirstCountedAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default);

    Task<TimelineResult> TimelineAsync(Dyad dyad, DateOnly from, DateOnly through, Bucket bucket, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default);

    /// <summary>Waits until the live feed has delivered everything up to the ledger's head as of this call.</summary>
    Task<CatchUpResult> CatchUpAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Rebuilds every projection from position 0 into a new generation under <paramref name="modelKey"/>, beside the
    /// live one (which keeps answering), and makes it the live one once it has caught up with the ledger. Cancelling
    /// abandons the replay; the live generation stays.
    /// </summary>
    Task<ReplayResult> ReplayAsync(string modelKey, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>The live generation, a replay in progress, and the retired ones.</summary>
    Task<ProjectionGenerations> GetGenerationsAsync(CancellationToken cancellationToken = default);

    /// <summary>The live feed's status.</summary>
    Task<FeedStatus> GetFeedStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Tells the live feed to read now (cheap, fire and forget): call it after appending.</summary>
    Task PokeAsync(CancellationToken cancellationToken = default);
}

/// <summary>The live feed reached <see cref="Head"/>, the ledger's last position when the catch-up began.</summary>
public sealed record CatchUpResult(int Generation, long Head, long Checkpoint, TimeSpan Elapsed);

/// <summary>
/// A replay's progress: the replay feed's checkpoint against the ledger's head, the events it delivered, and its
/// rate since the replay began. <see cref="Live"/> once the replayed generation has become the live one.
/// </summary>
public sealed record ReplayProgress(
    int Generation, string ModelKey, long Position, long Head, long EventsDelivered, double EventsPerSecond, TimeSpan Elapsed, bool Live)
{
    public double Fraction => Head <= 0 ? 1 : Math.Min(1, (double)Position / Head);
}

/// <summary>A finished replay: the generation now live, the one it replaced, and what it took.</summary>
public sealed record ReplayResult(GenerationInfo Generation, int ReplacedGeneration, long EventsDelivered, TimeSpan Elapsed, double EventsPerSecond);

/// <summary>The feed reports an error and has made no progress for the stall timeout.</summary>
public sealed class ProjectionFeedStalledException(FeedStatus status, TimeSpan stalledFor)
    : Exception($"The projection feed of generation {status.Generation} is stuck at position {status.Checkpoint} for {stalledFor.TotalSeconds:0} s: {status.LastError}")
{
    public FeedStatus Status { get; } = status;
}
