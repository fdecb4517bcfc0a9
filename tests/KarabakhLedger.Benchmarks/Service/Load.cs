using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace KarabakhLedger.Benchmarks.Service;

/// <summary>Latencies in <see cref="Stopwatch"/> ticks, and their order statistics in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = [];
    private long[]? _sorted;

    public int Count => _ticks.Count;

    public void AddRange(IEnumerable<long> ticks)
    {
        _ticks.AddRange(ticks);
        _sorted = null;
    }

    public void Add(long ticks)
    {
        _ticks.Add(ticks);
        _sorted = null;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–100), in milliseconds.</summary>
    public double Percentile(double p)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        _sorted ??= _ticks.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * _sorted.Length);
        return Ms(_sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)]);
    }

    public double P50 => Percentile(50);

    public double P90 => Percentile(90);

    public double P99 => Percentile(99);

    public double Min => Percentile(0);

    public double Max => Percentile(100);

    public double Mean => _ticks.Count == 0 ? double.NaN : Ms((long)_ticks.Average());

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static string Format(double ms) =>
        double.IsNaN(ms) ? "n/a"
        : Math.Abs(ms) >= 100 ? ms.ToString("F0", CultureInfo.InvariantCulture)
        : Math.Abs(ms) >= 10 ? ms.ToString("F1", CultureInfo.InvariantCulture)
        : ms.ToString("F2", CultureInfo.InvariantCulture);

    public override string ToString() =>
        $"p50 {Format(P50)} ms, p90 {Format(P90)}, p99 {Format(P99)}, max {Format(Max)} (n={Count})";
}

/// <summary>What one timed run of requests gave: each request's latency, the wall time, and the events the answers reported.</summary>
internal sealed record LoadRun(long[] Latencies, TimeSpan Elapsed, int Requests, long Events);

/// <summary>
/// A closed loop of <c>clients</c> callers sharing one <see cref="HttpClient"/> (one keep-alive connection each), taking
/// the next request number until <c>requests</c> are done: each caller sends its next request as soon as its previous
/// answer is read. A request's latency is from just before <see cref="HttpClient.SendAsync(HttpRequestMessage, CancellationToken)"/>
/// to the answer's body read in full. Any status but the expected one stops the run.
/// </summary>
internal static class Load
{
    public static async Task<LoadRun> RunAsync(
        HttpClient client,
        int clients,
        int requests,
        Func<int, HttpRequestMessage> request,
        HttpStatusCode expected,
        Func<string, long>? events = null,
        CancellationToken cancellationToken = default)
    {
        var latencies = new long[requests];
        var next = -1;
        long eventCount = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                using var message = request(i);
                var start = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(message, cancellationToken);
                latencies[i] = Stopwatch.GetTimestamp() - start;
                if (response.StatusCode != expected)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    throw new InvalidOperationException(
                        $"{message.Method} {message.RequestUri} answered {(int)response.StatusCode} instead of {(int)expected}: {body}");
                }

                if (events is not null)
                {
                    Interlocked.Add(ref eventCount, events(await response.Content.ReadAsStringAsync(cancellationToken)));
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        watch.Stop();
        return new LoadRun(latencies, watch.Elapsed, requests, events is null ? requests : eventCount);
    }

    /// <summary>The same closed loop over an in-process call, which answers the events it handled.</summary>
    public static async Task<LoadRun> RunInProcessAsync(int clients, int requests, Func<int, Task<long>> call)
    {
        var latencies = new long[requests];
        var next = -1;
        long eventCount = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                var events = await call(i);
                latencies[i] = Stopwatch.GetTimestamp() - start;
                Interlocked.Add(ref eventCount, events);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        watch.Stop();
        return new LoadRun(latencies, watch.Elapsed, requests, eventCount);
    }
}
