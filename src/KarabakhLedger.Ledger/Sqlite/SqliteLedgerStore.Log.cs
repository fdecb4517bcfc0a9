using System.Globalization;
using System.Runtime.CompilerServices;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Ledger.Sqlite;

/// <summary>
/// The Merkle log in the ledger file: <c>ledger_log_leaves</c> (one row per event, by leaf index) and
/// <c>ledger_log_nodes</c> (every completed perfect subtree from <see cref="StoredSubtrees.LowestStoredLevel"/> up; a
/// file written before ADR 29 also holds levels 1 to 3, which are not read), written in the append's transaction.
/// </summary>
public sealed partial class SqliteLedgerStore : ILedgerLog
{
    private const int CatchUpBatch = 4096;

    /// <summary>
    /// Rows per multi-row <c>INSERT</c> of the log's leaves and nodes. Kept small: SQLite finds a named parameter by a
    /// linear search of the statement's names, so binding costs grow with the square of the parameters per statement.
    /// </summary>
    private const int InsertBatch = 16;

    private const string LogSchema = """
        CREATE TABLE IF NOT EXISTS ledger_log_leaves (
            leaf_index INTEGER PRIMARY KEY,
            position INTEGER NOT NULL UNIQUE,
            stream_id TEXT NOT NULL,
            stream_version INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            event_hash TEXT NOT NULL,
            leaf_hash BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ledger_log_nodes (
            level INTEGER NOT NULL,
            node_index INTEGER NOT NULL,
            hash BLOB NOT NULL,
            PRIMARY KEY (level, node_index)
        ) WITHOUT ROWID;
        """;

    private const string LeafColumns = "leaf_index, position, stream_id, stream_version, event_id, event_hash, leaf_hash";

    public ILedgerLog Log => this;

    /// <summary>
    /// Creates the log's tables. A log of the first leaf format (no event ids) is dropped, to be rebuilt from the
    /// events by the catch-up that follows.
    /// </summary>
    private static async Task CreateLogTablesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var tables = await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_log_leaves'", cancellationToken);
        var current = await ScalarAsync(connection, "SELECT COUNT(*) FROM pragma_table_info('ledger_log_leaves') WHERE name = 'event_id'", cancellationToken);
        if (tables > 0 && current == 0)
        {
            await Execute(connection, "DROP TABLE ledger_log_leaves; DROP TABLE IF EXISTS ledger_log_nodes;", cancellationToken);
        }

        await Execute(connection, LogSchema, cancellationToken);
    }

    public async Task<long> GetSizeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await LogSizeAsync(connection, cancellationToken);
    }

    public IAsyncEnumerable<StoredLeaf> ReadLeavesAsync(long fromIndex = 0, CancellationToken cancellationToken = default) =>
        KeysetPages.ReadAsync(
            Math.Max(0, fromIndex),
            (from, ct) => LeavesAsync(
                $"SELECT {LeafColumns} FROM ledger_log_leaves WHERE leaf_index >= $i ORDER BY leaf_index LIMIT {ReadPage}",
                c => c.Parameters.AddWithValue("$i", from),
                ct),
            leaf => leaf.Index + 1,
            ReadPage,
            cancellationToken);

    public async Task<StoredLeaf?> FindLeafAsync(long position, CancellationToken cancellationToken = default) =>
        (await LeavesAsync(
            $"SELECT {LeafColumns} FROM ledger_log_leaves WHERE position = $p",
            c => c.Parameters.AddWithValue("$p", position),
            cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyDictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await NodesAsync(connection, ids, cancellationToken);
    }

    public IAsyncEnumerable<AuditRow> ReadRowsForAuditAsync(CancellationToken cancellationToken = default) =>
        AuditPages.ReadAsync(ReadAuditPageAsync, c => c.Position, AuditRead, ReadPage, cancellationToken);

    private async Task<List<AuditColumns>> ReadAuditPageAsync(long after, CancellationToken cancellationToken)
    {
        var page = new List<AuditColumns>(ReadPage);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM ledger_events WHERE position > $p ORDER BY position LIMIT {ReadPage}";
        command.Parameters.AddWithValue("$p", after);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            string?[]? typeNames = null;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is not (string or long or DBNull))
                {
                    typeNames ??= new string?[values.Length];
                    typeNames[i] = reader.GetDataTypeName(i);
                }
            }

            page.Add(new AuditColumns(reader.GetInt64(0), values, typeNames));
        }

        return page;
    }

    /// <summary>
    /// Brings the log up to the events: leaves for every event after the last one the log holds, in batches of
    /// <see cref="CatchUpBatch"/>, each in its own write transaction. A ledger written before the log existed gets
    /// its whole log the first time it is opened. Stops at a row whose leaf cannot be formed (verify names it).
    /// </summary>
    private async Task CatchUpLogAsync(CancellationToken cancellationToken)
    {
        while (await _writes.RunAsync(async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var log = await ResumeLogAsync(connection, cancellationToken);
            var complete = await CatchUpAsync(connection, log, CatchUpBatch, cancellationToken);
            await WriteLogAsync(connection, log, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return !complete;
        }, cancellationToken))
        {
        }
    }

    /// <summary>
    /// The log as stored, ready to take more leaves: its size and what its frontier is made of in one query: the
    /// stored subtree at level k, for each bit k ≥ <see cref="StoredSubtrees.LowestStoredLevel"/> set in the size n
    /// (node (n &gt;&gt; k) − 1 of its level), and the last n mod <see cref="StoredSubtrees.LowestStoredWidth"/> leaves,
    /// from which <see cref="LogExtension.Resume"/> computes the lower subtrees and checks it has all it expects.
    /// </summary>
    private static async Task<LogExtension> ResumeLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            WITH RECURSIVE size(n) AS (SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM ledger_log_leaves),
                bits(k) AS (SELECT {StoredSubtrees.LowestStoredLevel} UNION ALL SELECT k + 1 FROM bits WHERE k < 62),
                wanted(k, i) AS (SELECT k, (n >> k) - 1 FROM size, bits WHERE (n >> k) & 1 = 1)
            SELECT -1, n, NULL FROM size
            UNION ALL SELECT 0, leaf_index, leaf_hash FROM size JOIN ledger_log_leaves ON leaf_index >= n - n % {StoredSubtrees.LowestStoredWidth}
            UNION ALL SELECT level, node_index, hash FROM wanted JOIN ledger_log_nodes ON level = k AND node_index = i
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await LogExtension.ResumeAsync(reader, cancellationToken);
    }

    /// <summary>
    /// Adds leaves for the events after the log's last leaf, at most <paramref name="limit"/> of them; true when the
    /// log then reaches the last event (or a row whose leaf cannot be formed).
    /// </summary>
    private static async Task<bool> CatchUpAsync(SqliteConnection connection, LogExtension log, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT position, stream_id, stream_version, event_id, hash FROM ledger_events
            WHERE position > COALESCE((SELECT position FROM ledger_log_leaves ORDER BY leaf_index DESC LIMIT 1), -9223372036854775808)
            ORDER BY position LIMIT {limit}
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var read = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            read++;
            try
            {
                log.Add(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), Guid.ParseExact(reader.GetString(3), "D"), reader.GetString(4));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException)
            {
                return true;
            }
        }

        return read < limit;
    }

    /// <summary>The leaves and nodes the append adds, <see cref="InsertBatch"/> rows per <c>INSERT</c>.</summary>
    private static async Task WriteLogAsync(SqliteConnection connection, LogExtension log, CancellationToken cancellationToken)
    {
        await InsertRowsAsync(connection, $"ledger_log_leaves ({LeafColumns})", log.Leaves, 7, static (p, l) =>
        {
            p[0].Value = l.Index;
            p[1].Value = l.Position;
            p[2].Value = l.StreamId;
            p[3].Value = l.StreamVersion;
            p[4].Value = l.EventId.ToString("D");
            p[5].Value = l.EventHash;
            p[6].Value = l.LeafHash;
        }, cancellationToken);
        await InsertRowsAsync(connection, "ledger_log_nodes (level, node_index, hash)", log.Nodes, 3, static (p, n) =>
        {
            p[0].Value = n.Id.Level;
            p[1].Value = n.Id.Index;
            p[2].Value = n.Hash;
        }, cancellationToken);
        log.Leaves.Clear();
        log.Nodes.Clear();
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> into <paramref name="table"/> with multi-row <c>INSERT</c>s of up to
    /// <see cref="InsertBatch"/> rows, each statement prepared once and rebound.
    /// </summary>
    private static async Task InsertRowsAsync<T>(
        SqliteConnection connection, string table, IReadOnlyList<T> rows, int columns, Action<SqliteParameter[], T> bind, CancellationToken cancellationToken)
    {
        SqliteCommand? command = null;
        SqliteParameter[] parameters = [];
        try
        {
            for (var start = 0; start < rows.Count; start += InsertBatch)
            {
                var count = Math.Min(InsertBatch, rows.Count - start);
                if (command is null || parameters.Length != count * columns)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = connection.CreateCommand();
                    command.CommandText = $"INSERT INTO {table} VALUES " + string.Join(", ", Enumerable.Range(0, count).Select(r =>
                        "(" + string.Join(", ", Enumerable.Range(0, columns).Select(c => $"$p{r * columns + c}")) + ")"));
                    parameters = Enumerable.Range(0, count * columns).Select(i => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
                }

                for (var r = 0; r < count; r++)
                {
                    bind(parameters[(r * columns)..((r + 1) * columns)], rows[start + r]);
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static async Task<long> LogSizeAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, "SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM ledger_log_leaves", cancellationToken);

    private static async Task<Dictionary<NodeId, byte[]>> NodesAsync(SqliteConnection connection, IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<NodeId, byte[]>();
        await using var leaf = connection.CreateCommand();
        leaf.CommandText = "SELECT leaf_hash FROM ledger_log_leaves WHERE leaf_index = $i";
        var leafIndex = leaf.Parameters.Add("$i", SqliteType.Integer);
        await using var node = connection.CreateCommand();
        node.CommandText = "SELECT hash FROM ledger_log_nodes WHERE level = $l AND node_index = $i";
        var level = node.Parameters.Add("$l", SqliteType.Integer);
        var nodeIndex = node.Parameters.Add("$i", SqliteType.Integer);
        foreach (var id in ids)
        {
            SqliteCommand command;
            if (id.Level == 0)
            {
                leafIndex.Value = id.Index;
                command = leaf;
            }
            else
            {
                level.Value = id.Level;
                nodeIndex.Value = id.Index;
                command = node;
            }

            if (await command.ExecuteScalarAsync(cancellationToken) is byte[] hash)
            {
                found[id] = hash;
            }
        }

        return found;
    }

    private Task<List<StoredLeaf>> LeavesAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        QueryAsync(sql, bind, ReadLeaf, cancellationToken);

    private static StoredLeaf ReadLeaf(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        Convert.ToString(reader.GetValue(2), CultureInfo.InvariantCulture) ?? "",
        reader.GetInt64(3),
        Guid.TryParseExact(Convert.ToString(reader.GetValue(4), CultureInfo.InvariantCulture), "D", out var id) ? id : Guid.Empty,
        Convert.ToString(reader.GetValue(5), CultureInfo.InvariantCulture) ?? "",
        reader.GetValue(6) as byte[] ?? []);

    /// <summary>A row of <c>ledger_events</c> read column by column, each one that does not parse named.</summary>
    private static AuditRow AuditRead(AuditColumns r)
    {
        var position = r.Position;
        var problems = new List<string>();
        var stream = Text(r, 1, "stream_id", problems);
        var version = Integer(r, 2, "stream_version", problems);
        Guid? id = null;
        if (Text(r, 3, "event_id", problems) is { } idText)
        {
            id = Guid.TryParseExact(idText, "D", out var parsed) ? parsed : Problem<Guid?>(problems, $"event_id '{Clip(idText)}' is not a GUID");
        }

        var type = Text(r, 4, "type", problems);
        var schema = Integer(r, 5, "schema_version", problems, int.MaxValue);
        var data = Text(r, 6, "data", problems);
        var at = Text(r, 7, "recorded_at", problems) is { } atText
            ? DateTimeOffset.TryParseExact(atText, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                ? t
                : Problem<DateTimeOffset?>(problems, $"recorded_at '{Clip(atText)}' is not a UTC time with microseconds")
            : null;
        var previous = Text(r, 8, "previous_hash", problems);
        var hash = Text(r, 9, "hash", problems);
        if (data is not null && !AuditPages.IsJson(data))
        {
            problems.Add($"data is not JSON ('{Clip(data)}')");
        }

        if (problems.Count > 0)
        {
            return new AuditRow(position, stream, version, null, string.Join("; ", problems));
        }

        return new AuditRow(position, stream, version, new StoredEvent(
            position, stream!, version!.Value, id!.Value, type!, (int)schema!.Value, data!, at!.Value, previous!, hash!));
    }

    private static string? Text(AuditColumns r, int ordinal, string column, List<string> problems) =>
        r.Values[ordinal] switch
        {
            string s => s,
            DBNull => Problem<string?>(problems, $"{column} is NULL"),
            var other => Problem<string?>(problems, $"{column} is a {r.TypeNames?[ordinal]} ({Clip(Convert.ToString(other, CultureInfo.InvariantCulture) ?? "")}), not text"),
        };

    private static long? Integer(AuditColumns r, int ordinal, string column, List<string> problems, long max = long.MaxValue) =>
        r.Values[ordinal] switch
        {
            long n when n >= 0 && n <= max => n,
            DBNull => Problem<long?>(problems, $"{column} is NULL"),
            var other => Problem<long?>(problems, $"{column} '{Clip(Convert.ToString(other, CultureInfo.InvariantCulture) ?? "")}' is not a whole number from 0 to {max}"),
        };

    private static T? Problem<T>(List<string> problems, string problem)
    {
        problems.Add(problem);
        return default;
    }

    /// <summary>A row of <c>ledger_events</c> as read, each column's value and, for a value that is neither text, integer nor NULL, its type's name.</summary>
    private sealed record AuditColumns(long Position, object[] Values, string?[]? TypeNames);

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
