using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Ledger.Store;
using nietras.SeparatedValues;

namespace KarabakhLedger.Ledger.Import;

/// <summary>Where an import stands: rows read so far and what became of them, and the bytes read of the current file.</summary>
public sealed record ImportProgress(string File, long Rows, long Imported, long AlreadyThere, long Rejected, long Position, long? Length, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>What an import did: rows read, events appended, events the ledger already held, and rejected rows by reason.</summary>
public sealed record ImportReport(long Rows, long Imported, long AlreadyThere, IReadOnlyDictionary<string, long> Rejected, TimeSpan Elapsed)
{
    public long RejectedTotal => Rejected.Values.Sum();

    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;

    /// <summary>The one-line summary, e.g. <c>1000 rows: 990 imported, 0 already there, 10 rejected (no-actor 7, unknown-actor 3)</c>.</summary>
    public string Summary =>
        $"{Rows} rows: {Imported} imported, {AlreadyThere} already there, {RejectedTotal} rejected" +
        (Rejected.Count == 0 ? "" : $" ({string.Join(", ", Rejected.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"))})") +
        $" in {Elapsed.TotalSeconds:0.0} s ({RowsPerSecond:0} rows/s)";
}

/// <summary>
/// Imports event-data files into the ledger, streamed: rows are read, mapped (<see cref="EventDataRows"/>) and appended
/// in batches, each batch one atomic append across the dyad streams it touches, so a killed import leaves whole
/// batches and the same command completes it (every row's event id is derived from its source id: what is already
/// there is reported, not written again). Rejected rows are counted by reason and, given a writer, written to it with
/// the reason; they never stop the import.
/// </summary>
public sealed class EventDataImporter(ILedgerStore store, EventSerializer serializer, EventDataRows rows, TimeProvider clock)
{
    public const int DefaultBatchSize = 2_000;

    /// <summary>The header of the rejects file: the reason, its detail, the file and line, then the row's own cells.</summary>
    public const string RejectsHeader = "reason\tdetail\tfile\tline\trow";

    private static readonly SepReaderOptions ReaderOptions = Sep.New('\t').Reader(o => o with
    {
        HasHeader = false,
        DisableColCountCheck = true,
        DisableQuotesParsing = true,
    });

    public async Task<ImportReport> ImportAsync(
        EventDataFormat format,
        IEnumerable<ImportInput> inputs,
        TextWriter? rejects = null,
        IProgress<ImportProgress>? progress = null,
        int batchSize = DefaultBatchSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var run = new Run(rejects, clock, clock.GetTimestamp());
        if (rejects is not null)
        {
            await rejects.WriteLineAsync(RejectsHeader);
        }

        foreach (var input in inputs)
        {
            using var reader = ReaderOptions.From(input.Reader);

            // The next batch is read and mapped while this one is appended: reading and mapping touch neither the store
            // nor the run's counts, and only one batch is read at a time.
            var next = Task.Run(() => Prepare(format, input.Name, reader, batchSize, 0), cancellationToken);
            try
            {
                while (true)
                {
                    var batch = await next;
                    if (batch.RawRows == 0)
                    {
                        break;
                    }

                    next = Task.Run(() => Prepare(format, input.Name, reader, batchSize, batch.LastLine), cancellationToken);
                    await AppendBatchAsync(input.Name, batch, run, cancellationToken);
                    progress?.Report(new ImportProgress(input.Name, run.Rows, run.Imported, run.AlreadyThere, run.RejectedTotal, input.Position, input.Length, run.Elapsed));
                }
            }
            finally
            {
                await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        if (rejects is not null)
        {
            await rejects.FlushAsync(cancellationToken);
        }

        return new ImportReport(run.Rows, run.Imported, run.AlreadyThere, run.Rejected, run.Elapsed);
    }

    private static long ReadBatch(SepReader reader, List<RawRow> batch, int batchSize, long line)
    {
        while (batch.Count < batchSize && reader.MoveNext())
        {
            var row = reader.Current;
            line++;
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            if (cells.Length == 1 && cells[0].Length == 0)
            {
                continue;
            }

            batch.Add(new RawRow(line, cells));
        }

        return line;
    }

    /// <summary>The next batch of rows, read and mapped: what is accepted (by event id), what is rejected, and repeats of a row.</summary>
    private PreparedBatch Prepare(EventDataFormat format, string file, SepReader reader, int batchSize, long line)
    {
        var batch = new List<RawRow>(batchSize);
        line = ReadBatch(reader, batch, batchSize, line);
        var prepared = new PreparedBatch(format, batch.Count, line);
        foreach (var raw in batch)
        {
            if (EventDataRows.IsHeader(format, raw))
            {
                continue;
            }

            prepared.Rows++;
            switch (rows.Map(format, file, raw))
            {
                case RejectedRow r:
                    prepared.Rejected.Add(r);
                    break;
                case AcceptedRow a:
                    var append = ToAppend(a.Event);
                    if (!prepared.Accepted.TryGetValue(a.Event.EventId, out var earlier))
                    {
                        prepared.Accepted.Add(a.Event.EventId, (a, append));
                    }
                    else if (SameRow(earlier.Row.Event, a.Event))
                    {
                        prepared.Repeats++;
                    }
                    else
                    {
                        prepared.Rejected.Add(RepeatedId(a, earlier.Row.Event.Provenance));
                    }

                    break;
            }
        }

        return prepared;
    }

    private async Task AppendBatchAsync(string file, PreparedBatch batch, Run run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        run.Rows += batch.Rows;
        var accepted = batch.Accepted;
        var rejected = batch.Rejected;
        var already = batch.Repeats;
        using var span = Telemetry.LedgerTelemetry.Start("ledger.import.batch");
        span?.SetTag("ledger.format", batch.Format.ToString());
        span?.SetTag("ledger.file", file);
        span?.SetTag("ledger.rows", batch.RawRows);
        var imported = 0L;
        while (accepted.Count > 0)
        {
            var appends = accepted.Values
                .GroupBy(v => v.Row.Dyad.StreamId, StringComparer.Ordinal)
                .Select(g => new StreamAppend(g.Key, ExpectedVersion.Any, [.. g.Select(v => v.Append)]))
                .ToArray();
            try
            {
                var results = await store.AppendAsync(appends, cancellationToken);
                imported = results.Count(r => r.Status == AppendStatus.Appended);
                run.Imported += imported;
                already += results.Count(r => r.Status == AppendStatus.AlreadyAppended);
                break;
            }
            catch (EventIdConflictException conflict) when (accepted.TryGetValue(conflict.EventId, out var clash))
            {
                // The source id is in the ledger for other content: the same row from another file, or a repeated id.
                accepted.Remove(conflict.EventId);
                var stored = await store.FindEventAsync(conflict.EventId, cancellationToken);
                var held = stored is null ? null : serializer.Deserialize(stored.Type, stored.SchemaVersion, stored.Data) as CodedInteraction;
                if (held is not null && SameRow(held, clash.Row.Event))
                {
                    already++;
                }
                else
                {
                    rejected.Add(held is null
                        ? new RejectedRow(clash.Row.Row, RejectReasons.RepeatedId, $"event {conflict.EventId} is taken: {conflict.Message}")
                        : RepeatedId(clash.Row, held.Provenance));
                }
            }
        }

        run.AlreadyThere += already;
        Telemetry.LedgerTelemetry.ImportRows.Add(imported, new KeyValuePair<string, object?>("ledger.outcome", "imported"));
        Telemetry.LedgerTelemetry.ImportRows.Add(already, new KeyValuePair<string, object?>("ledger.outcome", "already-there"));
        Telemetry.LedgerTelemetry.ImportRows.Add(rejected.Count, new KeyValuePair<string, object?>("ledger.outcome", "rejected"));
        Telemetry.LedgerTelemetry.EventsAppended.Add(imported, new KeyValuePair<string, object?>("ledger.write", "import"));
        span?.SetTag("ledger.imported", imported);
        span?.SetTag("ledger.rejected", rejected.Count);
        foreach (var r in rejected.OrderBy(r => r.Row.Line))
        {
            run.Rejected[r.Reason] = run.Rejected.GetValueOrDefault(r.Reason) + 1;
            if (run.Rejects is not null)
            {
                await run.Rejects.WriteLineAsync(
                    $"{r.Reason}\t{Clean(r.Detail)}\t{file}\t{r.Row.Line}\t{string.Join('\t', r.Row.Cells)}");
            }
        }
    }

    private EventToAppend ToAppend(CodedInteraction e)
    {
        var serialized = serializer.Serialize(e);
        return new EventToAppend(e.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json);
    }

    private static RejectedRow RepeatedId(AcceptedRow row, EventDataProvenance held) =>
        new(row.Row, RejectReasons.RepeatedId,
            $"{held.Dataset} event id {held.SourceEventId} is already imported from {held.File} line {held.Line} with different content");

    /// <summary>The same row of the dataset, wherever it was read: equal but for the file and line that cite it.</summary>
    private static bool SameRow(CodedInteraction a, CodedInteraction b)
    {
        static string Without(CodedInteraction e) => System.Text.Json.JsonSerializer.Serialize(
            e with
            {
                Facts = e.Facts with { Sources = [] },
                Provenance = e.Provenance with { File = "", Line = 0 },
            },
            LedgerJson.Options);
        return Without(a) == Without(b);
    }

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>A batch read and mapped, not yet appended: <see cref="RawRows"/> lines read, up to line <see cref="LastLine"/>.</summary>
    private sealed class PreparedBatch(EventDataFormat format, int rawRows, long lastLine)
    {
        public EventDataFormat Format { get; } = format;

        public int RawRows { get; } = rawRows;

        public long LastLine { get; } = lastLine;

        public long Rows { get; set; }

        public long Repeats { get; set; }

        public Dictionary<Guid, (AcceptedRow Row, EventToAppend Append)> Accepted { get; } = [];

        public List<RejectedRow> Rejected { get; } = [];
    }

    private sealed class Run(TextWriter? rejects, TimeProvider clock, long started)
    {
        public TextWriter? Rejects { get; } = rejects;

        public TimeSpan Elapsed => clock.GetElapsedTime(started);

        public long Rows { get; set; }

        public long Imported { get; set; }

        public long AlreadyThere { get; set; }

        public Dictionary<string, long> Rejected { get; } = new(StringComparer.Ordinal);

        public long RejectedTotal => Rejected.Values.Sum();
    }
}
