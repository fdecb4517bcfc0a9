using System.Diagnostics;
using System.Globalization;

namespace KarabakhLedger.Benchmarks;

/// <summary>The repetitions of one contender in one scenario: events per second of each timed repetition.</summary>
internal sealed class Sample(string scenario, string contender)
{
    private readonly List<double> _rates = [];

    public string Scenario { get; } = scenario;

    public string Contender { get; } = contender;

    public IReadOnlyList<double> Rates => _rates;

    public double Median
    {
        get
        {
            if (_rates.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _rates.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double Min => _rates.Count == 0 ? double.NaN : _rates.Min();

    public double Max => _rates.Count == 0 ? double.NaN : _rates.Max();

    public void Add(long events, TimeSpan elapsed) => _rates.Add(events / elapsed.TotalSeconds);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Contender,-28} median {Format.Rate(Median),9} ev/s  (min {Format.Rate(Min)}, max {Format.Rate(Max)}, n={_rates.Count})");
}

/// <summary>
/// A hand-written harness (not BenchmarkDotNet): every contender of a scenario runs once untimed (warm-up: JIT,
/// Marten's generated code, connection pools, table creation), then the contenders take turns for the timed
/// repetitions, so a disturbance from another process spreads over all of them rather than hitting one.
/// </summary>
internal static class Harness
{
    /// <summary>
    /// Runs <paramref name="contenders"/> round-robin: one warm-up round, then <paramref name="repetitions"/> timed
    /// rounds. Each contender's <c>prepare</c> runs untimed before its timed <c>run</c>, which returns how many events
    /// it handled.
    /// </summary>
    public static async Task<IReadOnlyList<Sample>> RoundRobinAsync(
        string scenario, int repetitions, IReadOnlyList<Contender> contenders, Func<Task>? beforeEach = null)
    {
        var samples = contenders.Select(c => new Sample(scenario, c.Name)).ToArray();
        for (var round = 0; round <= repetitions; round++)
        {
            for (var i = 0; i < contenders.Count; i++)
            {
                var run = await contenders[i].Prepare(round);
                if (beforeEach is not null)
                {
                    await beforeEach();
                }

                var watch = Stopwatch.StartNew();
                var events = await run();
                watch.Stop();
                if (round > 0)
                {
                    samples[i].Add(events, watch.Elapsed);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {scenario} {(round == 0 ? "warm-up" : $"rep {round}/{repetitions}"),-9} {contenders[i].Name,-28} {events,7} events in {watch.Elapsed.TotalMilliseconds,8:F0} ms = {Format.Rate(events / watch.Elapsed.TotalSeconds),9} ev/s"));
            }
        }

        foreach (var s in samples)
        {
            Console.WriteLine($"  => {s.Scenario}: {s}");
        }

        return samples;
    }
}

/// <summary>
/// One way of doing a scenario's work. <see cref="Prepare"/> builds a repetition's input (untimed) and returns the
/// timed part, which answers the number of events it appended or read.
/// </summary>
internal sealed record Contender(string Name, Func<int, Task<Func<Task<long>>>> Prepare)
{
    /// <summary>Appends <paramref name="count"/> batches of <paramref name="size"/> events per repetition, built untimed from <paramref name="work"/>.</summary>
    public static Contender Appending(string name, Workload work, int size, int count, Func<Batch, Task> append) =>
        new(name, _ =>
        {
            var batches = work.Batches(count, size);
            return Task.FromResult<Func<Task<long>>>(async () =>
            {
                foreach (var batch in batches)
                {
                    await append(batch);
                }

                return (long)count * size;
            });
        });

    /// <summary>A read with nothing to prepare; it answers how many events it read.</summary>
    public static Contender Reading(string name, Func<Task<long>> read) => new(name, _ => Task.FromResult(read));
}

internal static class Format
{
    public static string Rate(double perSecond) =>
        double.IsNaN(perSecond) ? "n/a" : perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ratio(double a, double b) =>
        double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "n/a" : (a / b).ToString("0.00", CultureInfo.InvariantCulture);
}
