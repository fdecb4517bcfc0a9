using System.Diagnostics;
using System.Globalization;

namespace KarabakhLedger.Benchmarks.Replay;

/// <summary>
/// What one phase cost the process besides wall time: CPU time, allocations, collections and GC pauses, the peak
/// resident set during the phase (Linux <c>VmHWM</c>, reset at the start of the phase through
/// <c>/proc/self/clear_refs</c> where allowed), and the GC heap after it.
/// </summary>
internal sealed record PhaseCost(
    TimeSpan Wall,
    TimeSpan Cpu,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan GcPause,
    long PeakRssBytes,
    bool PeakResetAtStart,
    int MaxThreadPoolThreads,
    long MaxThreadPoolQueue,
    long RssAfterBytes,
    long HeapAfterFullGcBytes,
    long GcCommittedAfterBytes)
{
    public double CpuCores => Wall > TimeSpan.Zero ? Cpu / Wall : 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"wall {Wall.TotalSeconds:F1} s, CPU {Cpu.TotalSeconds:F1} s ({CpuCores:F2} cores), allocated {Mib(AllocatedBytes):N0} MiB, GCs {Gen0}/{Gen1}/{Gen2} (pause {GcPause.TotalMilliseconds:N0} ms), thread pool up to {MaxThreadPoolThreads} threads / {MaxThreadPoolQueue:N0} queued, peak RSS {Mib(PeakRssBytes):N0} MiB{(PeakResetAtStart ? "" : " (since process start)")}, RSS after {Mib(RssAfterBytes):N0} MiB, GC heap after full GC {Mib(HeapAfterFullGcBytes):N0} MiB (committed {Mib(GcCommittedAfterBytes):N0} MiB)");

    public static double Mib(long bytes) => bytes / 1024.0 / 1024.0;
}

/// <summary>Measures a phase: <see cref="Start"/> before it, <see cref="Stop"/> after it.</summary>
internal sealed class ProcessProbe : IDisposable
{
    private readonly long _started;
    private readonly TimeSpan _cpu;
    private readonly long _allocated;
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly int _gen2;
    private readonly TimeSpan _pause;
    private readonly bool _reset;
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly Task _sampler;
    private int _maxThreads;
    private long _maxQueue;

    private ProcessProbe(bool reset)
    {
        _reset = reset;
        _sampler = Task.Run(SampleAsync);
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
        _gen0 = GC.CollectionCount(0);
        _gen1 = GC.CollectionCount(1);
        _gen2 = GC.CollectionCount(2);
        _pause = GC.GetTotalPauseDuration();
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Collects garbage left by earlier phases, resets the peak RSS, and starts measuring.</summary>
    public static ProcessProbe Start()
    {
        Collect();
        return new ProcessProbe(ResetPeak());
    }

    /// <summary>
    /// Stops measuring. The wall time ends here; the heap is then measured after a full blocking collection
    /// (<c>GC.GetTotalMemory(true)</c>) of what the phase still holds.
    /// </summary>
    public PhaseCost Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        var (gen0, gen1, gen2) = (GC.CollectionCount(0) - _gen0, GC.CollectionCount(1) - _gen1, GC.CollectionCount(2) - _gen2);
        var pause = GC.GetTotalPauseDuration() - _pause;
        _stopSampling.Cancel();
        _sampler.Wait();
        var peak = Status("VmHWM");
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return new PhaseCost(wall, cpu, allocated, gen0, gen1, gen2, pause, peak, _reset, _maxThreads, _maxQueue, Status("VmRSS"), heap, info.TotalCommittedBytes);
    }

    public void Dispose() => _stopSampling.Dispose();

    /// <summary>Samples the thread pool every 50 ms: blocked threads show as more threads and a longer queue.</summary>
    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            do
            {
                _maxThreads = Math.Max(_maxThreads, ThreadPool.ThreadCount);
                _maxQueue = Math.Max(_maxQueue, ThreadPool.PendingWorkItemCount);
            }
            while (await timer.WaitForNextTickAsync(_stopSampling.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public static void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>A size line of <c>/proc/self/status</c> (e.g. VmHWM, VmRSS) in bytes; 0 where there is none.</summary>
    public static long Status(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return field == "VmHWM" ? Process.GetCurrentProcess().PeakWorkingSet64 : Process.GetCurrentProcess().WorkingSet64;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                // "VmHWM:\t  123456 kB": the value is the first word after the colon, in kB.
                var value = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(value, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Resets the kernel's peak RSS of this process to its current RSS (Linux 4.0+: "5" into clear_refs).</summary>
    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
