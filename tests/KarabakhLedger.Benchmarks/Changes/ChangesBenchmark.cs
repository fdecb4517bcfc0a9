using System.Diagnostics;
using System.Globalization;
using System.Text;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Scoring.Changes;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Benchmarks.Changes;

/// <summary>
/// <c>changes</c>: what a busy dyad's projection costs in the scoring library alone, no grain and no store
/// (docs/adr/0024-incremental-change-log.md). One dyad of N synthetic events in memory: holding them (the raw
/// baseline: what a grain does with every event anyway), deriving them from scratch, scoring a derivation, and the
/// change log's cost per event, the incremental way (<see cref="OwnDerivations"/>) against the reference that
/// derives both sides of every change from scratch (<see cref="ScoreChanges.Own"/>).
/// </summary>
internal static class ChangesBenchmark
{
    private const string Summary = """
        Times one dyad's projection in the scoring library: holding N events, a derivation from scratch, a
        score of it, and the change log per event, incremental against from scratch.
        """;

    private static readonly Dyad Dyad = new("GEO", "KAZ");

    public static int Run(string[] args)
    {
        var (events, changes, reference, reps) = (100_000, 1_000, 5, 3);
        string? markdown = null;
        var arguments = new BenchmarkArguments("changes", Summary)
            .Whole("--events", "events in the dyad (default 100000)", 1, n => events = n)
            .Whole("--changes", "changes timed on the incremental path, the last N events (default 1000)", 1, n => changes = n)
            .Whole("--reference", "changes timed on the from-scratch path, spread over the last --changes events (default 5)", 1, n => reference = n)
            .Whole("--reps", "timed repetitions of each whole-stream measurement (default 3, after one warm-up)", 1, n => reps = n)
            .Text("--markdown", "FILE", "also write the result table to FILE", v => markdown = v);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        changes = Math.Min(changes, events);
        var model = ModelCatalog.Bundled.Default;
        var stream = Generate(events, model);
        var (all, query) = (Hold(stream), ScoreChanges.QueryAt(stream[^1].RecordedAt, Cause(stream[^1])));
        var derived = Scorer.Derive(all, query, model);
        var rows = new List<(string Name, IReadOnlyList<double> Milliseconds, string Per)>
        {
            ("hold the events (raw baseline: a DyadEvents of the stream)", Time(reps, () => Hold(stream)), "stream"),
            ("derive from scratch (Scorer.Derive)", Time(reps, () => Scorer.Derive(all, query, model)), "stream"),
            ("score a derivation, entries already encoded (ScoreSide.Of)", Time(reps, () => ScoreSide.Of(query, model, [derived])), "stream"),
            ("score a fresh derivation (Derive + ScoreSide.Of)", Time(reps, () => ScoreSide.Of(query, model, [Scorer.Derive(all, query, model)])), "stream"),
        };

        var derivations = new OwnDerivations(Dyad);
        foreach (var e in stream.Take(events - changes))
        {
            derivations.Append(e);
        }

        var incremental = new List<double>(changes);
        var sides = new ChangeSides();
        foreach (var e in stream.Skip(events - changes))
        {
            var watch = Stopwatch.StartNew();
            derivations.Append(e);
            var cause = Cause(e);
            var asked = derivations.QueryAt(cause);
            var before = sides.Of(asked, model, derivations.At(e.Position - 1, asked, model), []);
            var after = sides.Of(asked, model, derivations.At(e.Position, asked, model), []);
            var (kind, targets) = ScoreChanges.KindOf(e.Event);
            ScoreChanges.Between(Dyad, cause, 0, kind, targets, asked, model, before, after);
            incremental.Add(watch.Elapsed.TotalMilliseconds);
        }

        var sampled = Enumerable.Range(0, reference).Select(i => stream[events - 1 - (i * changes / Math.Max(1, reference))]).ToArray();
        var fromScratch = sampled.Select(e => Time(1, () => ScoreChanges.Own(all, e.Position, model))[0]).ToArray();
        rows.Add(($"change log, incremental (ADR 24), each of the last {changes:N0} events", incremental, "change"));
        rows.Add(($"change log, from scratch (ScoreChanges.Own), {reference} of them", fromScratch, "change"));

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"One dyad of {events:N0} synthetic events (3 % corrections, 2 % retractions), model {model.Key}; milliseconds.");
        table.AppendLine();
        table.AppendLine("| measurement | per | median ms | min ms | max ms | × raw baseline (median) |");
        table.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        var baseline = Median(rows[0].Milliseconds);
        foreach (var (name, ms, per) in rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {per} | {Median(ms):0.00} | {ms.Min():0.00} | {ms.Max():0.00} | {Median(ms) / baseline:0.000} |");
        }

        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture, $"Incremental p99 per change: {Percentile(incremental, 0.99):0.00} ms; from scratch / incremental (medians): {Median(fromScratch) / Median(incremental):0.0}×.");
        table.AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {Machine.LoadAverage()}");
        foreach (var (name, value) in Machine.Describe())
        {
            Console.WriteLine($"{name}: {value}");
        }

        Console.WriteLine(table);
        if (markdown is not null)
        {
            File.WriteAllText(markdown, table.ToString());
        }

        return 0;
    }

    /// <summary>Interactions on random days over ten years, recorded a second apart, with corrections and retractions of earlier ones.</summary>
    private static List<ProjectedEvent> Generate(int count, ScoringModel model)
    {
        var random = new Random(24);
        var codes = model.Weights.Keys.Where(c => Domain.Cameo.CameoCatalog.Default.TryGet(c, out _)).Order(StringComparer.Ordinal).ToArray();
        var source = new Source("Synthetic wire", "Generated for the changes benchmark", new Uri("https://example.org/changes"), new DateOnly(2025, 1, 1));
        var recorded = new List<InteractionFacts>();
        var stream = new List<ProjectedEvent>(count);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= count; i++)
        {
            var roll = random.Next(100);
            ILedgerEvent e;
            if (roll < 3 && recorded.Count > 0)
            {
                var target = recorded[random.Next(recorded.Count)];
                e = new InteractionCorrected(Guid.NewGuid(), target.EventId, target with { CameoCode = codes[random.Next(codes.Length)] }, "corrected", [source]);
            }
            else if (roll < 5 && recorded.Count > 0)
            {
                var index = random.Next(recorded.Count);
                e = new InteractionRetracted(Guid.NewGuid(), recorded[index].EventId, "retracted", [source]);
                recorded.RemoveAt(index);
            }
            else
            {
                var facts = new InteractionFacts(
                    Guid.NewGuid(), codes[random.Next(codes.Length)], Dyad.A, Dyad.B, false,
                    PartialDate.FromDate(new DateOnly(2015, 1, 1).AddDays(random.Next(3650))), Theatre.SouthCaucasus, $"synthetic {i}", [], [source]);
                recorded.Add(facts);
                e = new TalksHeld(facts);
            }

            stream.Add(new ProjectedEvent(i * 2L, i, start.AddSeconds(i), $"hash{i}", e));
        }

        return stream;
    }

    private static DyadEvents Hold(IReadOnlyList<ProjectedEvent> stream) => DyadEvents.Empty(Dyad).Apply(stream);

    private static ChangeCause Cause(ProjectedEvent e) =>
        new(e.Position, e.Event.EventId, Domain.Contracts.EventTypes.NameOf(e.Event), e.RecordedAt, Dyad.Key);

    private static List<double> Time(int reps, Action action)
    {
        action();
        var times = new List<double>(reps);
        for (var r = 0; r < reps; r++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
