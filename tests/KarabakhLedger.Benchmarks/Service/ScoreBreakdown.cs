using System.Diagnostics;
using System.Text.Json;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Scoring;
using KarabakhLedger.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace KarabakhLedger.Benchmarks.Service;

/// <summary>
/// Where a score query's time goes: the steps of <c>GET /api/dyads/{dyad}/score</c> called in the node's process,
/// without HTTP, one caller, the steps taking turns round by round. The endpoint is <c>CatchUpAsync</c> (the
/// registry grain for the live generation, the feed grain's <c>GetHeadAsync</c> — which reads the ledger after the
/// feed's checkpoint — and its <c>WaitForPositionAsync</c>), then <c>ScoreAsync</c> (the registry again and the dyad
/// grain, which scores its events), then the answer's JSON.
/// </summary>
internal static class ScoreBreakdown
{
    /// <summary>The size of the last measured dyad's full ScoreResult as JSON (contributions included).</summary>
    public static int ResultBytes { get; private set; }

    public static async Task<IReadOnlyList<(string Step, Latencies Latencies)>> MeasureAsync(
        BenchNode node, string dyadKey, int perRun, int repetitions, string[]? only = null)
    {
        var services = node.Services;
        var store = services.GetRequiredService<LedgerStores>().Ledger;
        var projections = services.GetRequiredService<LedgerProjections>();
        var grains = services.GetRequiredService<IGrainFactory>();
        var clock = services.GetRequiredService<TimeProvider>();
        var dyad = Dyad.Parse(dyadKey);
        var generation = (await projections.GetGenerationsAsync()).Active.Id;
        var feed = grains.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(generation));
        var head = await feed.GetHeadAsync();
        var sample = await projections.ScoreAsync(dyad, ScoreQuery.Now(clock));
        var json = LedgerJson.Options; // what the service's JSON settings copy (ServiceJson), and the grain codec uses
        var model = services.GetRequiredService<ModelCatalog>().Default;
        var grainEvents = await ProjectAsync(store, dyad);
        ResultBytes = JsonSerializer.SerializeToUtf8Bytes(sample, json).Length;

        (string Step, Func<Task> Call)[] steps =
        [
            ("store: ReadAllAsync after the head (reads nothing)", async () =>
            {
                await foreach (var _ in store.ReadAllAsync(head))
                {
                }
            }),
            ("registry grain: GetGenerationsAsync", () => projections.GetGenerationsAsync()),
            ("feed grain: GetHeadAsync (a ledger read)", () => feed.GetHeadAsync()),
            ("CatchUpAsync (registry, head, wait)", () => projections.CatchUpAsync()),
            ("ScoreAsync (registry, dyad grain scores)", () => projections.ScoreAsync(dyad, ScoreQuery.Now(clock))),
            ("ScoreAsync's result to JSON and back (how Orleans copies it across the grain call)", () =>
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(sample, json);
                JsonSerializer.Deserialize<ScoreResult>(bytes, json);
                return Task.CompletedTask;
            }),
            ("Scorer.Score alone", () =>
            {
                Scorer.Score(grainEvents, ScoreQuery.Now(clock), model);
                return Task.CompletedTask;
            }),
            ("answer: ScoreView to JSON", () =>
            {
                JsonSerializer.SerializeToUtf8Bytes(ScoreView.From(sample), json);
                return Task.CompletedTask;
            }),
            ("all of the endpoint's work, no HTTP", async () =>
            {
                await projections.CatchUpAsync();
                var result = await projections.ScoreAsync(dyad, ScoreQuery.Now(clock));
                JsonSerializer.SerializeToUtf8Bytes(ScoreView.From(result), json);
            }),
        ];
        if (only is not null)
        {
            steps = steps.Where(s => only.Any(o => s.Step.StartsWith(o, StringComparison.Ordinal))).ToArray();
        }

        var results = steps.Select(s => (s.Step, Latencies: new Latencies())).ToArray();
        for (var round = 0; round <= repetitions; round++)
        {
            for (var i = 0; i < steps.Length; i++)
            {
                for (var n = 0; n < perRun; n++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await steps[i].Call();
                    var elapsed = Stopwatch.GetTimestamp() - start;
                    if (round > 0)
                    {
                        results[i].Latencies.Add(elapsed);
                    }
                }
            }
        }

        return results;
    }

    /// <summary>
    /// <c>Scorer.Score</c> alone (what the dyad grain, the message publisher and every SSE subscriber run) on the
    /// first n events of <paramref name="dyadKey"/>'s stream as the ledger holds them, for each n of
    /// <paramref name="lengths"/> the stream exceeds and for the whole stream: the mean time of one call, in ms.
    /// </summary>
    public static async Task<IReadOnlyList<(int Events, double MeanMs)>> ScoringByLengthAsync(BenchNode node, string dyadKey, IEnumerable<int> lengths)
    {
        var services = node.Services;
        var store = services.GetRequiredService<LedgerStores>().Ledger;
        var model = services.GetRequiredService<ModelCatalog>().Default;
        var clock = services.GetRequiredService<TimeProvider>();
        var dyad = Dyad.Parse(dyadKey);
        var projected = (await ProjectAsync(store, dyad)).ByPosition.Values.ToList();

        var results = new List<(int, double)>();
        var query = ScoreQuery.Now(clock);
        foreach (var n in lengths.Where(n => n < projected.Count).Append(projected.Count))
        {
            var events = DyadEvents.Empty(dyad).Apply(projected.Take(n));
            var calls = Math.Max(10, 20_000 / n);
            for (var i = 0; i < calls; i++)
            {
                Scorer.Score(events, query, model);
            }

            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < calls; i++)
            {
                Scorer.Score(events, query, model);
            }

            results.Add((n, Latencies.Ms(Stopwatch.GetTimestamp() - start) / calls));
        }

        return results;
    }

    /// <summary>The dyad's events as its grain holds them: its stream, projected.</summary>
    private static async Task<DyadEvents> ProjectAsync(Ledger.Store.ILedgerStore store, Dyad dyad)
    {
        var projected = new List<ProjectedEvent>();
        await foreach (var e in store.ReadStreamAsync(dyad.StreamId, 1))
        {
            projected.Add(new ProjectedEvent(e.Position, e.StreamVersion, e.RecordedAt, e.Hash, EventSerializer.Default.Deserialize(e.Type, e.SchemaVersion, e.Data)));
        }

        return DyadEvents.Empty(dyad).Apply(projected);
    }
}
