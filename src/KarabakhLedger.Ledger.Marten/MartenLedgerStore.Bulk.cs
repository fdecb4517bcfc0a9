using System.Globalization;
using System.Text.Json;
using KarabakhLedger.Ledger.Store;
using Npgsql;
using NpgsqlTypes;

namespace KarabakhLedger.Ledger.Marten;

/// <summary>
/// The bulk append (docs/adr/0020-bulk-append-by-copy-into-marten-tables.md): an append of many events with no
/// precondition is written by binary <c>COPY</c> straight into Marten's <c>mt_events</c>, with Marten's
/// <c>mt_streams</c> rows upserted beside it, instead of through Marten's session. The rules are the normal append's
/// (<see cref="AppendPlan"/>, the append lock, the Merkle log in the same transaction); what changes is how the rows
/// travel: one round trip for the lock and every look-up, each stream's hash chain computed in parallel, and the
/// rows in one <c>COPY</c>. The result is row for row what Marten's own append writes (tested).
/// </summary>
public sealed partial class MartenLedgerStore
{
    /// <summary>Appends of at least this many events and no precondition take the bulk path.</summary>
    public const int DefaultBulkThreshold = 64;

    /// <summary>Marten's .NET type name of the ledger's one event type, as its own append writes it to <c>mt_dotnet_type</c>.</summary>
    private static readonly string RecordDotNetType =
        $"{typeof(LedgerEventRecord).FullName}, {typeof(LedgerEventRecord).Assembly.GetName().Name}";

    private static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.General);

    private long _analyzedAt = -1;

    /// <summary>The smallest append (in events) that goes by <c>COPY</c>; tests set 1 to send every append there, or <see cref="int.MaxValue"/> to send none.</summary>
    internal int BulkThreshold { get; set; } = DefaultBulkThreshold;

    private bool TakesBulkPath(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition)
    {
        if (precondition is not null)
        {
            return false;
        }

        var events = 0;
        foreach (var append in appends)
        {
            events += append.Events.Count;
        }

        return events >= BulkThreshold;
    }

    private async Task<IReadOnlyList<AppendedEvent>> BulkAppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken)
    {
        IReadOnlyList<AppendedEvent> results;
        long head;
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var (stored, heads) = await LockAndLookUpAsync(connection, transaction, appends, cancellationToken);
            var log = await ResumeLogAsync(connection, transaction, cancellationToken);

            var plans = Plan(appends, heads, stored, _clock.GetUtcNow());
            var writes = plans.SelectMany(p => p.Writes).ToList();
            var positions = await WriteStreamsAsync(connection, transaction, plans, heads, writes.Count, cancellationToken);
            await CopyEventsAsync(connection, writes, positions, cancellationToken);

            // As the normal append reports them: stream by stream, the events already there, then the new ones.
            var appended = new List<AppendedEvent>(writes.Count + stored.Count);
            var next = 0;
            foreach (var plan in plans)
            {
                appended.AddRange(plan.Existing.Select(e => new AppendedEvent(e.EventId, e.StreamId, e.StreamVersion, e.Position, AppendStatus.AlreadyAppended, e.Hash)));
                foreach (var (w, _) in plan.Writes)
                {
                    var position = positions[next++];
                    appended.Add(new AppendedEvent(w.Event.EventId, w.Append.StreamId, w.StreamVersion, position, AppendStatus.Appended, w.Hash));
                    log.Add(position, w.Append.StreamId, w.StreamVersion, w.Event.EventId, w.Hash);
                }
            }

            await WriteLogAsync(connection, transaction, log, cancellationToken);
            if (BeforeCommit is { } hook)
            {
                await hook();
            }

            await transaction.CommitAsync(cancellationToken);
            results = appended;
            head = positions.Length > 0 ? positions[^1] : 0;
        }

        await AnalyzeWhenGrownAsync(head, cancellationToken);
        return results;
    }

    /// <summary>
    /// One round trip: the append lock first, then, under it, the stored events among the append's ids and every
    /// stream's head (the ledger's last event and Marten's own stream version).
    /// </summary>
    private async Task<(Dictionary<Guid, StoredEvent> Stored, Dictionary<string, BulkHead> Heads)> LockAndLookUpAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken)
    {
        var ids = appends.SelectMany(a => a.Events).Select(e => e.EventId).ToArray();
        var streams = appends.Select(a => a.StreamId).ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new() { Value = _appendLock } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT seq_id, stream_id, version, id, data->>'type', (data->>'schemaVersion')::integer, data->>'data',
                   data->>'recordedAt', data->>'previousHash', data->>'hash'
            FROM {Schema}.mt_events
            WHERE id = ANY($1) AND type = '{LedgerEventRecord.Alias}' AND NOT COALESCE(is_archived, false)
            """)
        {
            Parameters = { new() { Value = ids } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT s.id, COALESCE(h.version, 0), COALESCE(h.hash, '{EventHash.Genesis}'), m.version
            FROM unnest($1::text[]) AS s(id)
            LEFT JOIN LATERAL (
                SELECT e.version, e.data->>'hash' AS hash FROM {Schema}.mt_events e
                WHERE e.stream_id = s.id AND e.type = '{LedgerEventRecord.Alias}' AND NOT COALESCE(e.is_archived, false)
                ORDER BY e.version DESC LIMIT 1) AS h ON true
            LEFT JOIN {Schema}.mt_streams m ON m.id = s.id
            """)
        {
            Parameters = { new() { Value = streams } },
        });

        var stored = new Dictionary<Guid, StoredEvent>();
        var heads = new Dictionary<string, BulkHead>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var e = new StoredEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetString(6), DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime(),
                reader.GetString(8), reader.GetString(9));
            stored[e.EventId] = e;
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            heads[reader.GetString(0)] = new BulkHead(
                new StreamHead(reader.GetInt64(1), reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetInt64(3));
        }

        return (stored, heads);
    }

    /// <summary>Each stream's decision and hash chain (in parallel, <see cref="AppendPlan.DecideAll"/>), and every new event's Marten payload, serialized on every core (event by event, not stream by stream: one stream may hold most of the append).</summary>
    private static BulkPlan[] Plan(
        IReadOnlyList<StreamAppend> appends, Dictionary<string, BulkHead> heads, Dictionary<Guid, StoredEvent> stored, DateTimeOffset now)
    {
        var decided = AppendPlan.DecideAll(appends, streamId => heads[streamId].Ledger, stored, now);
        var writes = decided.SelectMany(d => d.Writes).ToArray();
        var payloads = new string[writes.Length];
        Parallel.For(0, writes.Length, i => payloads[i] = Payload(writes[i]));
        var plans = new BulkPlan[decided.Length];
        var next = 0;
        for (var i = 0; i < decided.Length; i++)
        {
            var streamWrites = new List<BulkWrite>(decided[i].Writes.Count);
            foreach (var w in decided[i].Writes)
            {
                streamWrites.Add(new BulkWrite(w, payloads[next++]));
            }

            plans[i] = new BulkPlan(decided[i].Existing, streamWrites);
        }

        return plans;
    }

    /// <summary>
    /// Marten's <c>mt_streams</c> rows, as its append leaves them: a new stream inserted, a known one moved from the
    /// version the ledger read to its new version (a stream whose Marten version is not the ledger's has been written
    /// behind the ledger's back: the append fails), then the positions the new events take, in the same round trip.
    /// </summary>
    private async Task<long[]> WriteStreamsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, BulkPlan[] plans, Dictionary<string, BulkHead> heads, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return [];
        }

        var grown = plans.Where(p => p.Writes.Count > 0).ToArray();
        foreach (var plan in grown)
        {
            var streamId = plan.Writes[0].Write.Append.StreamId;
            var head = heads[streamId];
            if ((head.Marten ?? 0) != head.Ledger.Version)
            {
                throw new InvalidOperationException(
                    $"Marten has '{streamId}' at version {head.Marten ?? 0} and the ledger at {head.Ledger.Version}: something wrote to the stream without going through the ledger.");
            }
        }

        var fresh = grown.Where(p => heads[p.Writes[0].Write.Append.StreamId].Marten is null).ToArray();
        var known = grown.Where(p => heads[p.Writes[0].Write.Append.StreamId].Marten is not null).ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT nextval('{Schema}.mt_events_sequence') FROM generate_series(1, $1)")
        {
            Parameters = { new() { Value = count } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            INSERT INTO {Schema}.mt_streams (id, type, version, timestamp)
            SELECT s.id, NULL, s.version, now() FROM unnest($1::text[], $2::bigint[]) AS s(id, version)
            """)
        {
            Parameters = { new() { Value = StreamIds(fresh) }, new() { Value = NewVersions(fresh) } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            UPDATE {Schema}.mt_streams AS m SET version = s.version, timestamp = now()
            FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS s(id, version, was)
            WHERE m.id = s.id AND m.version = s.was
            """)
        {
            Parameters =
            {
                new() { Value = StreamIds(known) },
                new() { Value = NewVersions(known) },
                new() { Value = known.Select(p => p.Writes[0].Write.StreamVersion - 1).ToArray() },
            },
        });

        var positions = new long[count];
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            var n = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                positions[n++] = reader.GetInt64(0);
            }
        }

        if (batch.BatchCommands[2].RecordsAffected != known.Length)
        {
            throw new InvalidOperationException(
                $"Marten's stream table changed under the append lock: {batch.BatchCommands[2].RecordsAffected} of {known.Length} streams were at the version the ledger read.");
        }

        Array.Sort(positions);
        return positions;
    }

    /// <summary>The new events by binary <c>COPY</c> into <c>mt_events</c>, with the columns Marten's own append fills.</summary>
    private async Task CopyEventsAsync(NpgsqlConnection connection, List<BulkWrite> writes, long[] positions, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        for (var i = 0; i < writes.Count; i++)
        {
            var (w, payload) = writes[i];
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(positions[i], NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(w.Event.EventId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(w.Append.StreamId, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(w.StreamVersion, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(payload, NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(LedgerEventRecord.Alias, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(w.RecordedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(RecordDotNetType, NpgsqlDbType.Varchar, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// <c>ANALYZE</c> after a bulk append that has doubled the events since the last one: a table filled this fast
    /// outruns autovacuum, and without statistics the planner scans a whole stream for each head look-up of the next
    /// batch (docs/benchmarks.md, "Statistics").
    /// </summary>
    private async Task AnalyzeWhenGrownAsync(long head, CancellationToken cancellationToken)
    {
        if (head <= 2 * Interlocked.Read(ref _analyzedAt))
        {
            return;
        }

        Interlocked.Exchange(ref _analyzedAt, head);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var analyze = new NpgsqlCommand($"ANALYZE {Schema}.mt_events, {Schema}.mt_streams", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string[] StreamIds(BulkPlan[] plans) => [.. plans.Select(p => p.Writes[0].Write.Append.StreamId)];

    private static long[] NewVersions(BulkPlan[] plans) => [.. plans.Select(p => p.Writes[^1].Write.StreamVersion)];

    private static string Payload(PlannedWrite w) => JsonSerializer.Serialize(
        new LedgerEventRecord
        {
            Type = w.Event.Type,
            SchemaVersion = w.Event.SchemaVersion,
            Data = w.Data,
            RecordedAt = w.RecordedAt,
            PreviousHash = w.PreviousHash,
            Hash = w.Hash,
        },
        RecordJson);

    /// <summary>A stream as the bulk append finds it: the ledger's head and Marten's version of the stream (null: no row).</summary>
    private sealed record BulkHead(StreamHead Ledger, long? Marten);

    private sealed record BulkPlan(IReadOnlyList<StoredEvent> Existing, List<BulkWrite> Writes);

    private readonly record struct BulkWrite(PlannedWrite Write, string Payload);
}
