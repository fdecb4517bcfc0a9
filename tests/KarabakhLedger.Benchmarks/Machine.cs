using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;

namespace KarabakhLedger.Benchmarks;

/// <summary>What the numbers were measured on: the machine, the runtime and the PostgreSQL server's durability settings.</summary>
internal static class Machine
{
    public static IReadOnlyList<(string Name, string Value)> Describe()
    {
        var cpuinfo = ReadOrEmpty("/proc/cpuinfo");
        var model = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = ReadOrEmpty("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var memoryGb = memory is null
            ? "unknown"
            : (long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
        return
        [
            ("CPU", $"{model}, {Environment.ProcessorCount} logical cores"),
            ("Memory", memoryGb),
            ("OS", RuntimeInformation.OSDescription),
            (".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}), server GC {System.Runtime.GCSettings.IsServerGC}"),
            ("Load average at start", LoadAverage()),
        ];
    }

    /// <summary>The 1, 5 and 15 minute load averages: other processes on the machine disturb the numbers.</summary>
    public static string LoadAverage() => string.Join(' ', ReadOrEmpty("/proc/loadavg").FirstOrDefault()?.Split(' ').Take(3) ?? ["unknown"]);

    public static async Task<IReadOnlyList<(string Name, string Value)>> DescribePostgresAsync(NpgsqlDataSource dataSource)
    {
        var result = new List<(string, string)>();
        await using (var command = dataSource.CreateCommand("SELECT version()"))
        {
            result.Add(("PostgreSQL", (string)(await command.ExecuteScalarAsync())!));
        }

        foreach (var setting in new[] { "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "shared_buffers", "max_wal_size" })
        {
            await using var command = dataSource.CreateCommand($"SHOW {setting}");
            result.Add(($"  {setting}", (string)(await command.ExecuteScalarAsync())!));
        }

        return result;
    }

    private static string[] ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
