using System.Diagnostics;
using KarabakhLedger.Benchmarks.Store;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Import;
using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using Npgsql;
using nietras.SeparatedValues;

namespace KarabakhLedger.Benchmarks.Import;

/// <summary>
/// <c>import</c>: a synthetic GDELT 2.0 file of N rows (<see cref="GdeltFileGenerator"/>) imported with
/// <c>EventDataImporter</c> into a fresh SQLite file and a fresh PostgreSQL schema, against, in the same run: the file
/// parsed and mapped alone, and the same mapped events written by raw binary COPY into a plain table and by raw Marten
/// appends (both read and map the file as the importer does, in batches of the same size). One run of each, one after
/// the other. Results in docs/benchmarks.md ("Import (issue 10)").
/// </summary>
internal static class ImportBenchmark
{
    private static readonly EventDataRows BundledRows = new(ActorRegistry.Default, CameoCatalog.Default);

    private const string Summary = """
        A synthetic GDELT 2.0 file imported into a fresh SQLite file and a fresh PostgreSQL schema, against the
        file parsed and mapped alone, raw binary COPY and raw Marten appends of the same events.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = 1_000_000;
        var batch = EventDataImporter.DefaultBatchSize;
        string? postgres = null;
        bool martenAppend = false, skipSqlite = false, keepFile = false;
        var arguments = new BenchmarkArguments("import", Summary)
            .Whole("--rows", "rows in the generated GDELT 2.0 file (default 1000000)", 1, n => rows = n)
            .Whole("--batch", "rows per import batch (default 2000, the importer's default)", 1, n => batch = n)
            .Text("--postgres", "CONNSTR", "PostgreSQL (default: LEDGER_TEST_POSTGRES); schemas bench_import_* are created and dropped", v => postgres = v)
            .Flag("--marten-append", "also import through Marten's own append (the bulk path switched off), for the gain", () => martenAppend = true)
            .Flag("--skip-sqlite", "PostgreSQL only", () => skipSqlite = true)
            .Flag("--keep-file", "leave the generated file in the temp folder", () => keepFile = true);
        if (!arguments.Parse(args))
        {
            return 0;
        }

        postgres = BenchmarkArguments.Postgres(postgres, skipped: false, skippable: false)!;

        foreach (var (name, value) in Machine.Describe())
        {
            Console.WriteLine($"{name}: {value}");
        }

        var folder = Directory.CreateTempSubdirectory("ledger-import-bench-").FullName;
        var file = Path.Combine(folder, "20250301000000.export.CSV");
        var clock = Stopwatch.StartNew();
        GdeltFileGenerator.Write(file, rows);
        Console.WriteLine($"generated {rows:N0} rows, {new FileInfo(file).Length / 1e6:0.0} MB, in {clock.Elapsed.TotalSeconds:0.0} s: {file}");

        var results = new List<(string Contender, long Rows, long Written, TimeSpan Elapsed, string Load, long PeakRss)>();
        async Task Measure(string contender, Func<Task<long>> run)
        {
            var load = Machine.LoadAverage();
            var watch = Stopwatch.StartNew();
            var written = await run();
            watch.Stop();
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            results.Add((contender, rows, written, watch.Elapsed, load, peak));
            Console.WriteLine($"{contender}: {written:N0} events in {watch.Elapsed.TotalSeconds:0.0} s = {rows / watch.Elapsed.TotalSeconds:N0} rows/s (load {load}, peak RSS so far {peak / 1e6:0} MB)");
        }

        await Measure("parse and map only", () => Task.FromResult(MappedBatches(file, batch).Sum(b => (long)b.Count)));
        if (!skipSqlite)
        {
            var path = Path.Combine(folder, "import.db");
            await Measure("import, SQLite", async () =>
            {
                await using var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
                return await Import(store, file, batch);
            });
        }

        await Measure("import, PostgreSQL", () => WithSchema(postgres, "bench_import_port", async schema =>
        {
            await using var store = await MartenLedgerStore.OpenAsync(postgres, TimeProvider.System, schema);
            return await Import(store, file, batch);
        }));
        if (martenAppend)
        {
            await Measure("import, PostgreSQL, Marten's append", () => WithSchema(postgres, "bench_import_marten_append", async schema =>
            {
                await using var store = await MartenLedgerStore.OpenAsync(postgres, TimeProvider.System, schema);
                store.BulkThreshold = int.MaxValue;
                return await Import(store, file, batch);
            }));
        }

        await Measure("raw COPY (parse, map, COPY)", () => WithSchema(postgres, "bench_import_copy", async schema =>
        {
            await using var copy = await RawCopy.OpenAsync(postgres, schema);
            return await Raw(file, batch, copy.AppendAsync);
        }));
        await Measure("raw Marten (parse, map, append)", () => WithSchema(postgres, "bench_import_raw_marten", async schema =>
        {
            await using var marten = await RawMarten.OpenAsync(postgres, schema);
            return await Raw(file, batch, marten.AppendAsync);
        }));

        Console.WriteLine();
        Console.WriteLine($"| contender ({rows:N0} rows, batches of {batch:N0}) | events written | seconds | rows/s | load average at start | peak RSS so far |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Contender} | {r.Written:N0} | {r.Elapsed.TotalSeconds:0.0} | {r.Rows / r.Elapsed.TotalSeconds:N0} | {r.Load} | {r.PeakRss / 1e6:0} MB |");
        }

        double Rate(string contender) => results.Where(r => r.Contender == contender).Select(r => r.Rows / r.Elapsed.TotalSeconds).DefaultIfEmpty(double.NaN).Single();
        var copyRate = Rate("raw COPY (parse, map, COPY)");
        var martenRate = Rate("raw Marten (parse, map, append)");
        Console.WriteLine();
        foreach (var r in results.Where(r => r.Contender.StartsWith("import", StringComparison.Ordinal)))
        {
            var rate = r.Rows / r.Elapsed.TotalSeconds;
            Console.WriteLine($"{r.Contender}: {rate / copyRate:0.00} of raw COPY, {rate / martenRate:0.00} of raw Marten");
        }

        if (!keepFile)
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static async Task<long> Import(ILedgerStore store, string file, int batch)
    {
        var importer = new EventDataImporter(store, EventSerializer.Default, BundledRows, TimeProvider.System);
        var report = await importer.ImportAsync(EventDataFormat.Gdelt2, ImportInput.Open(file), batchSize: batch);
        Console.WriteLine($"  {report.Summary}");
        return report.Imported;
    }

    /// <summary>The file read and mapped as the importer does, each batch's events grouped by stream and given the positions and versions a fresh ledger would.</summary>
    private static async Task<long> Raw(string file, int batch, Func<Batch, Task> write)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        long position = 0, written = 0;
        foreach (var mapped in MappedBatches(file, batch))
        {
            var events = new List<BenchEvent>(mapped.Count);
            foreach (var group in mapped.GroupBy(m => m.Stream, StringComparer.Ordinal))
            {
                foreach (var (stream, e) in group)
                {
                    var version = versions[stream] = versions.GetValueOrDefault(stream) + 1;
                    var fakeHash = Convert.ToHexStringLower(e.EventId.ToByteArray()) + Convert.ToHexStringLower(e.EventId.ToByteArray());
                    events.Add(new BenchEvent(++position, stream, version, e, new BenchRecord
                    {
                        Type = e.Type, SchemaVersion = e.SchemaVersion, Data = e.Data,
                        RecordedAt = EventHash.Truncate(DateTimeOffset.UtcNow), PreviousHash = fakeHash, Hash = fakeHash,
                    }));
                }
            }

            await write(new Batch(
                [.. events.GroupBy(e => e.StreamId, StringComparer.Ordinal).Select(g => new StreamAppend(g.Key, ExpectedVersion.Any, [.. g.Select(e => e.Event)]))],
                events));
            written += events.Count;
        }

        return written;
    }

    /// <summary>The importer's reading and mapping (Sep, <see cref="EventDataRows"/>, the event serializer), batch by batch, accepted rows only.</summary>
    private static IEnumerable<List<(string Stream, EventToAppend Event)>> MappedBatches(string file, int batch)
    {
        using var reader = Sep.New('\t').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, DisableQuotesParsing = true }).FromFile(file);
        var name = Path.GetFileName(file);
        var current = new List<(string, EventToAppend)>(batch);
        var line = 0L;
        var inBatch = 0;
        foreach (var row in reader)
        {
            line++;
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            if (BundledRows.Map(EventDataFormat.Gdelt2, name, new RawRow(line, cells)) is AcceptedRow a)
            {
                var serialized = EventSerializer.Default.Serialize(a.Event);
                current.Add((a.Dyad.StreamId, new EventToAppend(a.Event.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json)));
            }

            if (++inBatch == batch)
            {
                yield return current;
                current = new List<(string, EventToAppend)>(batch);
                inBatch = 0;
            }
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }

    private static async Task<long> WithSchema(string postgres, string schema, Func<string, Task<long>> run)
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        await using (var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            return await run(schema);
        }
        finally
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
