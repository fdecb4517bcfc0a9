using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Projections.Hosting;

/// <summary>
/// The projections seen from outside the grains: resolves the live generation through the registry and calls the
/// right grains. Works from inside a silo and from any Orleans client that registered
/// <see cref="ProjectionSerialization.AddLedgerProjectionSerialization"/>.
/// </summary>
public sealed class LedgerProjections(IGrainFactory grains, TimeProvider clock, LedgerProjectionOptions options) : ILedgerProjections
{
    private readonly TimeSpan _waitSlice = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, Math.Max(1, options.StallTimeout.Ticks / 2)));

    private IProjectionRegistryGrain Registry => grains.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry);

    public Task<ProjectionGenerations> GetGenerationsAsync(CancellationToken cancellationToken = default) =>
        Registry.GetAsync().WaitAsync(cancellationToken);

    public async Task<ScoreResult> ScoreAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        using var span = QuerySpan("score", dyad, query);
        var live = (await GetGenerationsAsync(cancellationToken)).Active;
        return await Dyad(live.Id, dyad).ScoreAsync(query, modelKey ?? live.ModelKey).WaitAsync(cancellationToken);
    }

    /// <summary>The dyad's score without its contributions (<see cref="IDyadGrain.FiguresAsync"/>).</summary>
    public async Task<ScoreResult> FiguresAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        using var span = QuerySpan("score", dyad, query);
        var live = (await GetGenerationsAsync(cancellationToken)).Active;
        return await Dyad(live.Id, dyad).FiguresAsync(query, modelKey ?? live.ModelKey).WaitAsync(cancellationToken);
    }

    /// <summary>One page of the dyad's derivation (<see cref="IDyadGrain.DerivationAsync"/>).</summary>
    public async Task<ScoreResult> DerivationAsync(
        Dyad dyad, ScoreQuery query, int offset, int limit, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        using var span = QuerySpan("derivation", dyad, query);
        var live = (await GetGenerationsAsync(cancellationToken)).Active;
        return await Dyad(live.Id, dyad).DerivationAsync(query, modelKey ?? live.ModelKey, offset, limit).WaitAsync(cancellationToken);
    }

    public async Task<DateOnly?> FirstCountedAsync(Dyad dyad, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        using var span = QuerySpan("first-counted", dyad, query);
        var live = (await GetGenerationsAsync(cancellationToken)).Active;
        return await Dyad(live.Id, dyad).FirstCountedAsync(query, modelKey ?? live.ModelKey).WaitAsync(cancellationToken);
    }

    public async Task<TimelineResult> TimelineAsync(
        Dyad dyad, DateOnly from, DateOnly through, Bucket bucket, ScoreQuery query, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        using var span = QuerySpan("timeline", dyad, query);
        var live = (await GetGenerationsAsync(cancellationToken)).Active;
        return await Dyad(live.Id, dyad).TimelineAsync(from, through, bucket, query, modelKey ?? live.ModelKey).WaitAsync(cancellationToken);
    }

    private static System.Diagnostics.Activity? QuerySpan(string kind, Dyad dyad, ScoreQuery query)
    {
        var span = Ledger.Telemetry.LedgerTelemetry.Start("ledger.query");
        span?.SetTag("ledger.query", kind);
        span?.SetTag("ledger.dyad", dyad.Key);
        span?.SetTag("ledger.as_of", query.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return span;
    }

    public async Task<FeedStatus> GetFeedStatusAsync(CancellationToken cancellationToken = default)
    {
        var live = (await GetGenerationsAsync(cancellationToken)).Active;
        return await Feed(live.Id).GetStatusAsync().WaitAsync(cancellationToken);
    }

    public async Task PokeAsync(CancellationToken cancellationToken = default)
    {
        var live = (await GetGenerationsAsync(cancellationToken)).Active;
        await Feed(live.Id).PokeAsync().WaitAsync(cancellationToken);
    }

    public async Task<CatchUpResult> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var started = clock.GetTimestamp();
        var head = -1L;
        var progressAt = clock.GetTimestamp();
        var lastCheckpoint = -1L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FeedStatus status;
            int generation;
            try
            {
                generation = (await GetGenerationsAsync(cancellationToken)).Active.Id;
                var feed = Feed(generation);
                if (head < 0)
                {
                    head = await feed.GetHeadAsync().WaitAsync(cancellationToken);
                }

                status = await feed.WaitForPositionAsync(head, _waitSlice).WaitAsync(cancellationToken);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                // The feed's silo is going away; it comes back on a survivor.
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken);
                continue;
            }

            if (status.Checkpoint >= head)
            {
                return new CatchUpResult(generation, head, status.Checkpoint, clock.GetElapsedTime(started));
            }

            if (status.Checkpoint != lastCheckpoint || status.LastError is null)
            {
                lastCheckpoint = status.Checkpoint;
                progressAt = clock.GetTimestamp();
            }
            else if (clock.GetElapsedTime(progressAt) >= options.StallTimeout)
            {
                throw new ProjectionFeedStalledException(status, clock.GetElapsedTime(progressAt));
            }
        }
    }

    public async Task<ReplayResult> ReplayAsync(string modelKey, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var registry = Registry;
        var replaced = (await GetGenerationsAsync(cancellationToken)).Active;
        var generation = await registry.BeginReplayAsync(modelKey).WaitAsync(cancellationToken);
        var feed = Feed(generation.Id);
        var started = clock.GetTimestamp();
        long deliveredBefore = -1;
        FeedStatus? seen = null;
        try
        {
            while (true)
            {
                ProjectionGenerations generations;
                FeedStatus status;
                long head;
                try
                {
                    // Returns at each delivered batch, role change or error, or after the progress interval.
                    status = seen is null
                        ? await feed.EnsureRunningAsync().WaitAsync(cancellationToken)
                        : await feed.WaitForChangeAsync(seen, options.ProgressInterval).WaitAsync(cancellationToken);
                    generations = await registry.GetAsync().WaitAsync(cancellationToken);
                    if (generations.RoleOf(generation.Id) == GenerationRole.Active)
                    {
                        // It may have gone live since the status above: report where it went live, not before.
                        status = await feed.GetStatusAsync().WaitAsync(cancellationToken);
                    }

                    head = await Feed(generations.Active.Id).GetHeadAsync().WaitAsync(cancellationToken);
                }
                catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    seen = null;
                    await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken);
                    continue;
                }

                seen = status;
                if (deliveredBefore < 0)
                {
                    deliveredBefore = status.EventsDelivered;
                }

                var role = generations.RoleOf(generation.Id);
                var elapsed = clock.GetElapsedTime(started);
                var delivered = status.EventsDelivered - deliveredBefore;
                var rate = elapsed > TimeSpan.Zero ? delivered / elapsed.TotalSeconds : 0;
                var live = role == GenerationRole.Active;
                progress?.Report(new ReplayProgress(generation.Id, generation.ModelKey, status.Checkpoint, Math.Max(head, status.Checkpoint), status.EventsDelivered, rate, elapsed, live));
                if (live)
                {
                    return new ReplayResult(generations.Active, replaced.Id, status.EventsDelivered, elapsed, rate);
                }

                if (role != GenerationRole.Pending)
                {
                    throw new InvalidOperationException($"Replay generation {generation.Id} was abandoned (another replay under another model replaced it).");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await registry.AbandonReplayAsync(generation.Id);
            throw;
        }
    }

    private IDyadGrain Dyad(int generation, Dyad dyad) => grains.GetGrain<IDyadGrain>(ProjectionKeys.Dyad(generation, dyad));

    private ILedgerFeedGrain Feed(int generation) => grains.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(generation));

    private static bool IsTransient(Exception e) =>
        e is OrleansException or TimeoutException or Orleans.Runtime.OrleansMessageRejectionException or ObjectDisposedException;
}
