using KarabakhLedger.Ledger.Store;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Benchmarks.Merkle;

/// <summary>
/// The SQLite store's append minus the Merkle log: the same file settings (WAL, <c>synchronous = FULL</c>), a new
/// pooled connection and one <c>BEGIN IMMEDIATE</c> transaction per append, the same look-ups (the batch's event ids,
/// the head position, each stream's head) and the same per-event <c>INSERT</c> into the same <c>ledger_events</c>
/// table, with the hash chain computed by <see cref="EventHash"/> as the store computes it (each event's canonical data
/// first, on every core, then the chains; the canonical text stored, ADR 25). What it leaves out is exactly the log's work:
/// resuming the frontier, the catch-up query, the leaf and node hashes, and the rows of <c>ledger_log_leaves</c> and
/// <c>ledger_log_nodes</c>.
/// </summary>
internal sealed class SqliteAppendWithoutLog : IAsyncDisposable
{
    private const string Columns =
        "position, stream_id, stream_version, event_id, type, schema_version, data, recorded_at, previous_hash, hash";

    private readonly string _connectionString;

    private SqliteAppendWithoutLog(string path) =>
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();

    public static async Task<SqliteAppendWithoutLog> OpenAsync(string path)
    {
        var store = new SqliteAppendWithoutLog(path);
        await using var connection = await store.OpenConnectionAsync();
        await Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS ledger_events (
                position INTEGER PRIMARY KEY,
                stream_id TEXT NOT NULL,
                stream_version INTEGER NOT NULL,
                event_id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                data TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                UNIQUE (stream_id, stream_version)
            );
            """);
        return store;
    }

    public async Task AppendAsync(IReadOnlyList<StreamAppend> appends)
    {
        await using var connection = await OpenConnectionAsync();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await FindEventsAsync(connection, appends.SelectMany(a => a.Events).Select(e => e.EventId.ToString("D")).ToArray());
        long position;
        await using (var head = connection.CreateCommand())
        {
            head.CommandText = "SELECT COALESCE(MAX(position), 0) FROM ledger_events";
            position = (long)(await head.ExecuteScalarAsync())!;
        }

        var now = EventHash.Truncate(DateTimeOffset.UtcNow);
        var events = appends.SelectMany(a => a.Events).ToArray();
        var canonical = new byte[events.Length][];
        Parallel.For(0, events.Length, i => canonical[i] = EventHash.CanonicalData(events[i].Data));
        var next = 0;
        foreach (var append in appends)
        {
            var (version, previous) = await HeadAsync(connection, append.StreamId);
            foreach (var e in append.Events)
            {
                version++;
                position++;
                var data = canonical[next++];
                var hash = EventHash.Compute(append.StreamId, version, e.EventId, e.Type, e.SchemaVersion, data, now, previous);
                await using var command = connection.CreateCommand();
                command.CommandText = $"INSERT INTO ledger_events ({Columns}) VALUES ($p, $s, $v, $id, $t, $sv, $d, $at, $ph, $h)";
                command.Parameters.AddWithValue("$p", position);
                command.Parameters.AddWithValue("$s", append.StreamId);
                command.Parameters.AddWithValue("$v", version);
                command.Parameters.AddWithValue("$id", e.EventId.ToString("D"));
                command.Parameters.AddWithValue("$t", e.Type);
                command.Parameters.AddWithValue("$sv", e.SchemaVersion);
                command.Parameters.AddWithValue("$d", System.Text.Encoding.UTF8.GetString(data));
                command.Parameters.AddWithValue("$at", EventHash.FormatTimestamp(now));
                command.Parameters.AddWithValue("$ph", previous);
                command.Parameters.AddWithValue("$h", hash);
                await command.ExecuteNonQueryAsync();
                previous = hash;
            }
        }

        await transaction.CommitAsync();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenConnectionAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        return connection;
    }

    private static async Task FindEventsAsync(SqliteConnection connection, string[] ids)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            var names = chunk.Select((id, i) =>
            {
                command.Parameters.AddWithValue($"$id{i}", id);
                return $"$id{i}";
            }).ToArray();
            command.CommandText = $"SELECT {Columns} FROM ledger_events WHERE event_id IN ({string.Join(',', names)})";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                throw new InvalidOperationException($"Event {reader.GetString(3)} is already stored: the workload repeats an id.");
            }
        }
    }

    private static async Task<(long Version, string Hash)> HeadAsync(SqliteConnection connection, string streamId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_version, hash FROM ledger_events WHERE stream_id = $s ORDER BY stream_version DESC LIMIT 1";
        command.Parameters.AddWithValue("$s", streamId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetString(1)) : (0, EventHash.Genesis);
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
