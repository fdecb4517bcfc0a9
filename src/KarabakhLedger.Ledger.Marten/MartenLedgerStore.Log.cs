using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using Npgsql;
using NpgsqlTypes;

namespace KarabakhLedger.Ledger.Marten;

/// <summary>
/// The Merkle log in the ledger's schema, beside Marten's tables: <c>ledger_log_leaves</c> (one row per event, by leaf
/// index) and <c>ledger_log_nodes</c> (every completed perfect subtree from <see cref="StoredSubtrees.LowestStoredLevel"/>
/// up; a schema written before ADR 29 also holds levels 1 to 3, which are not read), written in the append's
/// transaction under the append lock.
/// </summary>
public sealed partial class MartenLedgerStore : ILedgerLog
{
    private const int CatchUpBatch = 4096;

    private const string LeafColumns = "leaf_index, position, stream_id, stream_version, event_id, event_hash, leaf_hash";

    public ILedgerLog Log => this;

    /// <summary>
    /// The log's tables. A log of the first leaf format (no event ids) is dropped, to be rebuilt from the events by
    /// the catch-up that follows.
    /// </summary>
    private string LogSchemaSql => $"""
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = '{Schema}' AND table_name = 'ledger_log_leaves')
               AND NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '{Schema}' AND table_name = 'ledger_log_leaves' AND column_name = 'event_id') THEN
                DROP TABLE {Schema}.ledger_log_leaves;
                DROP TABLE IF EXISTS {Schema}.ledger_log_nodes;
            END IF;
        END $$;
        CREATE TABLE IF NOT EXISTS {Schema}.ledger_log_leaves (
            leaf_index bigint PRIMARY KEY,
            position bigint NOT NULL UNIQUE,
            stream_id text NOT NULL,
            stream_version bigint NOT NULL,
            event_id uuid NOT NULL,
            event_hash text NOT NULL,
            leaf_hash bytea NOT NULL
        );
        CREATE TABLE IF NOT EXISTS {Schema}.ledger_log_nodes (
            level integer NOT NULL,
            node_index bigint NOT NULL,
            hash bytea NOT NULL,
            PRIMARY KEY (level, node_index)
        );
        """;

    public Task<long> GetSizeAsync(CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await LogSizeAsync(connection, null, cancellationToken);
        });

    public IAsyncEnumerable<StoredLeaf> ReadLeavesAsync(long fromIndex = 0, CancellationToken cancellationToken = default) =>
        KeysetPages.ReadAsync(
            Math.Max(0, fromIndex),
            (from, ct) => LeavesAsync($"WHERE leaf_index >= $1 ORDER BY leaf_index LIMIT {ReadPage}", from, ct),
            leaf => leaf.Index + 1,
            ReadPage,
            cancellationToken);

    public async Task<StoredLeaf?> FindLeafAsync(long position, CancellationToken cancellationToken = default) =>
        (await LeavesAsync("WHERE position = $1", position, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyDictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return (IReadOnlyDictionary<NodeId, byte[]>)await NodesAsync(connection, null, ids, cancellationToken);
        });

    public IAsyncEnumerable<AuditRow> ReadRowsForAuditAsync(CancellationToken cancellationToken = default) =>
        AuditPages.ReadAsync(ReadAuditPageAsync, c => c.Position, AuditRead, ReadPage, cancellationToken);

    private Task<List<AuditColumns>> ReadAuditPageAsync(long after, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                $$"""
                SELECT e.seq_id, e.stream_id, e.version, e.id, e.type, e.is_archived,
                       CASE WHEN jsonb_typeof(f.type) = 'string' AND jsonb_typeof(f.data) = 'string' AND jsonb_typeof(f."previousHash") = 'string'
                                 AND jsonb_typeof(f.hash) = 'string' AND jsonb_typeof(f."recordedAt") = 'string' AND jsonb_typeof(f."schemaVersion") = 'number'
                            THEN NULL ELSE e.data::text END,
                       f.type #>> '{}', f."schemaVersion" #>> '{}', f.data #>> '{}', f."recordedAt" #>> '{}', f."previousHash" #>> '{}', f.hash #>> '{}'
                FROM {{Schema}}.mt_events e
                LEFT JOIN LATERAL jsonb_to_record(CASE WHEN jsonb_typeof(e.data) = 'object' THEN e.data END)
                    AS f(type jsonb, "schemaVersion" jsonb, data jsonb, "recordedAt" jsonb, "previousHash" jsonb, hash jsonb) ON true
                WHERE e.seq_id > $1 ORDER BY e.seq_id LIMIT {{ReadPage}}
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<AuditColumns>(ReadPage);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new AuditColumns(
                    reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4),
                    !reader.IsDBNull(5) && reader.GetBoolean(5), Text(reader, 6),
                    new RecordFields(Text(reader, 7), Text(reader, 8), Text(reader, 9), Text(reader, 10), Text(reader, 11), Text(reader, 12))));
            }

            return rows;
        });

    /// <summary>
    /// Brings the log up to the events after opening: leaves for every event after the last one the log holds, in
    /// batches of <see cref="CatchUpBatch"/>, each in its own transaction under the append lock. A ledger written
    /// before the log existed gets its whole log the first time it is opened.
    /// </summary>
    private async Task CatchUpLogAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        await using (var create = new NpgsqlCommand(LogSchemaSql, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        bool complete;
        do
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockAppendsAsync(connection, transaction, cancellationToken);
            LogExtension log;
            (log, complete) = await ResumeLogAsync(connection, transaction, CatchUpBatch, cancellationToken);
            await WriteLogAsync(connection, transaction, log, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        while (!complete);
    }

    /// <summary>The log as stored, caught up with every event after its last leaf: one round trip (<see cref="ResumeLogAsync(NpgsqlConnection, NpgsqlTransaction, int, CancellationToken)"/>).</summary>
    private async Task<LogExtension> ResumeLogAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        (await ResumeLogAsync(connection, transaction, int.MaxValue, cancellationToken)).Log;

    /// <summary>
    /// The log as stored, ready to take more leaves, with leaves added for the ledger events after its last leaf, at
    /// most <paramref name="limit"/> of them; Complete when the log then reaches the last event (or a row whose leaf
    /// cannot be formed: verify names it). One batch, one round trip: the log's size and what its frontier is made of
    /// (the stored subtree at level k, for each bit k ≥ <see cref="StoredSubtrees.LowestStoredLevel"/> set in the size
    /// n, is node (n &gt;&gt; k) − 1 of its level; the lower ones are computed from the last n mod
    /// <see cref="StoredSubtrees.LowestStoredWidth"/> leaves), which <see cref="LogExtension.Resume"/> checks against
    /// the subtrees it expects, then the events after the log's last leaf.
    /// </summary>
    private async Task<(LogExtension Log, bool Complete)> ResumeLogAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    WITH size AS (SELECT COALESCE(MAX(leaf_index) + 1, 0) AS n FROM {Schema}.ledger_log_leaves),
                        wanted AS (SELECT k, (n >> k) - 1 AS i FROM size, generate_series({StoredSubtrees.LowestStoredLevel}, 62) AS k WHERE (n >> k) & 1 = 1)
                    SELECT -1, n, NULL::bytea FROM size
                    UNION ALL SELECT 0, l.leaf_index, l.leaf_hash FROM size JOIN {Schema}.ledger_log_leaves l ON l.leaf_index >= size.n - size.n % {StoredSubtrees.LowestStoredWidth}
                    UNION ALL SELECT node.level, node.node_index, node.hash FROM wanted JOIN {Schema}.ledger_log_nodes node ON node.level = wanted.k AND node.node_index = wanted.i
                    """),
                new NpgsqlBatchCommand($"""
                    SELECT seq_id, stream_id, version, id, data->>'hash' FROM {Schema}.mt_events
                    WHERE seq_id > COALESCE((SELECT position FROM {Schema}.ledger_log_leaves ORDER BY leaf_index DESC LIMIT 1), -9223372036854775808)
                      AND type = '{LedgerEventRecord.Alias}' AND NOT COALESCE(is_archived, false)
                    ORDER BY seq_id LIMIT {limit}
                    """),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var log = await LogExtension.ResumeAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var read = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            read++;
            try
            {
                log.Add(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException)
            {
                return (log, true);
            }
        }

        return (log, read < limit);
    }

    /// <summary>The leaves and nodes an append adds, in one batch: one round trip.</summary>
    private async Task WriteLogAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LogExtension log, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (log.Leaves.Count > 0)
        {
            var leaves = new NpgsqlBatchCommand(
                $"INSERT INTO {Schema}.ledger_log_leaves ({LeafColumns}) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], $7::bytea[])");
            leaves.Parameters.Add(new NpgsqlParameter { Value = log.Leaves.Select(l => l.Index).ToArray() });
            leaves.Parameters.Add(new NpgsqlParameter { Value = log.Leaves.Select(l => l.Position).ToArray() });
            leaves.Parameters.Add(new NpgsqlParameter { Value = log.Leaves.Select(l => l.StreamId).ToArray() });
            leaves.Parameters.Add(new NpgsqlParameter { Value = log.Leaves.Select(l => l.StreamVersion).ToArray() });
            leaves.Parameters.Add(new NpgsqlParameter { Value = log.Leaves.Select(l => l.EventId).ToArray() });
            leaves.Parameters.Add(new NpgsqlParameter { Value = log.Leaves.Select(l => l.EventHash).ToArray() });
            leaves.Parameters.Add(new NpgsqlParameter { Value = log.Leaves.Select(l => l.LeafHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            batch.BatchCommands.Add(leaves);
        }

        if (log.Nodes.Count > 0)
        {
            var nodes = new NpgsqlBatchCommand(
                $"INSERT INTO {Schema}.ledger_log_nodes (level, node_index, hash) SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bytea[])");
            nodes.Parameters.Add(new NpgsqlParameter { Value = log.Nodes.Select(n => n.Id.Level).ToArray() });
            nodes.Parameters.Add(new NpgsqlParameter { Value = log.Nodes.Select(n => n.Id.Index).ToArray() });
            nodes.Parameters.Add(new NpgsqlParameter { Value = log.Nodes.Select(n => n.Hash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            batch.BatchCommands.Add(nodes);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        log.Leaves.Clear();
        log.Nodes.Clear();
    }

    private async Task<long> LogSizeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM {Schema}.ledger_log_leaves", connection, transaction);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task<Dictionary<NodeId, byte[]>> NodesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<NodeId, byte[]>();
        if (ids.Count == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand($"""
            SELECT 0, leaf_index, leaf_hash FROM {Schema}.ledger_log_leaves WHERE leaf_index = ANY($1)
            UNION ALL
            SELECT n.level, n.node_index, n.hash FROM {Schema}.ledger_log_nodes n
            JOIN unnest($2::integer[], $3::bigint[]) AS wanted(level, node_index) ON n.level = wanted.level AND n.node_index = wanted.node_index
            """, connection, transaction);
        var above = ids.Where(id => id.Level > 0).ToArray();
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Where(id => id.Level == 0).Select(id => id.Index).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = above.Select(id => id.Level).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = above.Select(id => id.Index).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[new NodeId(reader.GetInt32(0), reader.GetInt64(1))] = (byte[])reader.GetValue(2);
        }

        return found;
    }

    private Task<List<StoredLeaf>> LeavesAsync(string where, long value, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT {LeafColumns} FROM {Schema}.ledger_log_leaves {where}", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var leaves = new List<StoredLeaf>();
            while (await reader.ReadAsync(cancellationToken))
            {
                leaves.Add(new StoredLeaf(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetGuid(4), reader.GetString(5), (byte[])reader.GetValue(6)));
            }

            return leaves;
        });

    /// <summary>
    /// A row of <c>mt_events</c> read without Marten: hidden when the ledger's readers skip it (archived, or not a
    /// ledger event), else its JSON taken apart field by field, each one that does not parse named.
    /// </summary>
    private static AuditRow AuditRead(AuditColumns r)
    {
        var (position, stream, version, id, type, archived, record, fields) = r;
        if (type != LedgerEventRecord.Alias)
        {
            return new AuditRow(position, stream, version, null, Hidden: $"its row has type '{type}', which the ledger's readers skip");
        }

        if (archived)
        {
            return new AuditRow(position, stream, version, null, Hidden: "its row is marked is_archived, which the ledger's readers skip");
        }

        if (stream is null)
        {
            return new AuditRow(position, null, version, null, "stream_id is NULL");
        }

        var problems = new List<string>();
        string? recordType = null, data = null, previous = null, hash = null, recordedAt = null;
        int? schema = null;
        if (record is null)
        {
            // Every field is there and of its type (the query checked): the server took them out of the jsonb.
            (recordType, var schemaText, data, recordedAt, previous, hash) = fields;
            schema = int.TryParse(schemaText, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : Problem<int?>(problems, "data.schemaVersion is missing or not a whole number");
        }
        else
        {
            try
            {
                using var json = JsonDocument.Parse(record);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"data is a JSON {json.RootElement.ValueKind}, not an object");
                }
                else
                {
                    var o = json.RootElement;
                    recordType = Field(o, "type", problems);
                    data = Field(o, "data", problems);
                    previous = Field(o, "previousHash", problems);
                    hash = Field(o, "hash", problems);
                    recordedAt = Field(o, "recordedAt", problems);
                    schema = o.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.TryGetInt32(out var n) && n >= 0
                        ? n
                        : Problem<int?>(problems, "data.schemaVersion is missing or not a whole number");
                }
            }
            catch (JsonException e)
            {
                problems.Add($"data is not JSON: {e.Message}");
            }
        }

        DateTimeOffset? at = null;
        if (recordedAt is not null)
        {
            at = DateTimeOffset.TryParse(recordedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t)
                ? t.ToUniversalTime()
                : Problem<DateTimeOffset?>(problems, $"data.recordedAt '{Clip(recordedAt)}' is not a time");
        }

        if (data is not null && !AuditPages.IsJson(data))
        {
            problems.Add($"data.data is not JSON ('{Clip(data)}')");
        }

        return problems.Count > 0
            ? new AuditRow(position, stream, version, null, string.Join("; ", problems))
            : new AuditRow(position, stream, version, new StoredEvent(position, stream, version, id, recordType!, schema!.Value, data!, at!.Value, previous!, hash!));
    }

    private static string? Field(JsonElement o, string name, List<string> problems) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : Problem<string?>(problems, $"data.{name} is missing or not a string");

    private static T? Problem<T>(List<string> problems, string problem)
    {
        problems.Add(problem);
        return default;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>
    /// The columns of an <c>mt_events</c> row that an audit takes apart: the record's text when it is not an object
    /// with each field of its type (then the record is parsed here, to name what is wrong), else null and the fields
    /// as the server took them out.
    /// </summary>
    private readonly record struct AuditColumns(
        long Position, string? StreamId, long Version, Guid Id, string Type, bool Archived, string? Record, RecordFields Fields);

    private readonly record struct RecordFields(string? Type, string? SchemaVersion, string? Data, string? RecordedAt, string? PreviousHash, string? Hash);

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
