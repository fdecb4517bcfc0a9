using System.Collections.Immutable;
using KarabakhLedger.Scoring.Changes;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Projections.Contracts;

/// <summary>
/// One dyad's projection in one generation: every event of its stream, and the scoring queries over them.
/// Key: <c>"&lt;generation&gt;/&lt;dyad key&gt;"</c>, e.g. <c>"1/RUS-TUR"</c> (<see cref="ProjectionKeys.Dyad"/>).
/// </summary>
public interface IDyadGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies events of this dyad's stream, given in stream order. Idempotent by global position: an event
    /// already applied is skipped, so a feed may deliver at least once. A batch that would leave a hole in the
    /// stream is completed from the store first, so nothing is skipped either. <paramref name="catchingUp"/> says
    /// the feed is working through a backlog (a replay, or a start far behind the head): the grain then puts off its
    /// snapshot until a later delivery or its deactivation, so a replay writes none.
    /// </summary>
    /// <returns>The highest global position the dyad has applied.</returns>
    Task<long> ApplyAsync(ImmutableArray<LedgerEventMessage> events, bool catchingUp);

    /// <summary>
    /// The dyad's score at a bitemporal point under a model (<c>id@version</c>, or id for its latest). A country dyad
    /// (two states) also counts what the other actor pairs of its roll-up index contribute to it, asked of their grains.
    /// </summary>
    Task<ScoreResult> ScoreAsync(ScoreQuery query, string modelKey);

    /// <summary>
    /// What this dyad's interactions contribute to the country dyad <paramref name="countryDyad"/> at a bitemporal
    /// point: those that roll up into it by the actors' affiliations on their dates, as known at the query's time.
    /// </summary>
    Task<ContributionSet> ContributionsTowardAsync(string countryDyad, ScoreQuery query, string modelKey);

    /// <summary>
    /// <see cref="ScoreAsync"/> without its contributions and what dedup set aside (both empty), for answers that show
    /// only the figures (<c>GET …/score</c>): a busy dyad's contributions are a large answer to carry across the call.
    /// </summary>
    Task<ScoreResult> FiguresAsync(ScoreQuery query, string modelKey);

    /// <summary>
    /// One page of <see cref="ScoreAsync"/>'s derivation (<see cref="ScoreResult.PageOf"/>): only the page crosses the
    /// call, however many interactions the dyad counts.
    /// </summary>
    Task<ScoreResult> DerivationAsync(ScoreQuery query, string modelKey, int offset, int limit);

    /// <summary>
    /// The first day of the earliest interaction that counts toward the dyad at <paramref name="query"/> (rolled up as
    /// <see cref="ScoreAsync"/>; <see cref="TimelineRange.FirstDay"/>), where a timeline starts by default; null when
    /// none counts. A day instead of a whole score, which for a busy dyad is a large answer to carry.
    /// </summary>
    Task<DateOnly?> FirstCountedAsync(ScoreQuery query, string modelKey);

    /// <summary>Cooperation against conflict per period from <paramref name="from"/> through <paramref name="through"/> (rolled up as <see cref="ScoreAsync"/>).</summary>
    Task<TimelineResult> TimelineAsync(DateOnly from, DateOnly through, Bucket bucket, ScoreQuery query, string modelKey);

    /// <summary>
    /// The dyad's change-log entries for events it already holds (<see cref="ScoreChanges"/>): one per event of its own
    /// stream asked for, and, for a country dyad, one per rolled-up event of another actor pair that concerns what counts
    /// toward it (others are left out). A pure function of the events up to each position, so asking again after a
    /// re-delivery gives the same entries.
    /// </summary>
    Task<ImmutableArray<ScoreChange>> ChangesAsync(ImmutableArray<ChangeRequest> requests, string modelKey);

    /// <summary>
    /// <see cref="ContributionsTowardAsync"/> at several cuts of this stream at once: for each, only its events up to the
    /// cut's position count (a country dyad's change log asks for the state just before and just after an event).
    /// </summary>
    Task<ImmutableArray<ContributionSet>> ContributionsTowardAtAsync(string countryDyad, ImmutableArray<CutQuery> cuts, string modelKey);

    /// <summary>What the grain holds and how it got it (for operators and tests).</summary>
    Task<DyadStatus> GetStatusAsync();

    /// <summary>
    /// Deactivates the grain once this call is done, releasing what it holds (its generation was retired: nobody asks
    /// it anything again). A retired generation's grain writes no snapshot on the way out.
    /// </summary>
    Task ReleaseAsync();
}

/// <summary>
/// A dyad grain's state at a glance. <see cref="SnapshotStreamVersion"/> is the stream version its stored snapshot
/// covers; <see cref="ReadOnActivation"/> counts the events it read from its own stream when it last activated
/// (only the tail after the snapshot).
/// </summary>
[GenerateSerializer, Immutable, Alias("karabakh.dyad-status")]
public sealed record DyadStatus(
    [property: Id(0)] int Generation,
    [property: Id(1)] string Dyad,
    [property: Id(2)] long Position,
    [property: Id(3)] long StreamVersion,
    [property: Id(4)] int Events,
    [property: Id(5)] long SnapshotStreamVersion,
    [property: Id(6)] int ReadOnActivation,
    [property: Id(7)] string Silo);
