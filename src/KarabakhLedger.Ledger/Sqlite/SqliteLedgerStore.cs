using System.Globalization;
using System.Runtime.CompilerServices;
using KarabakhLedger.Ledger.Store;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Ledger.Sqlite;

/// <summary>
/// The embedded ledger: one SQLite file in WAL mode with full sync. Each append is one <c>BEGIN IMMEDIATE</c>
/// transaction, so a process killed mid-append leaves all of it or none of it, and positions are gapless and
/// committed in order. Appends and imports of one store wait their turn asynchronously (<see cref="SqliteWriteGate"/>).
/// </summary>
public sealed partial class SqliteLedgerStore : ILedgerStore
{
    private const string Columns =
        "position, stream_id, stream_version, event_id, type, schema_version, data, recorded_at, previous_hash, hash";

    private const int ReadPage = 512;

    private const string HeadSql = "SELECT COALESCE(MAX(position), 0) FROM ledger_events";

    private readonly string _connectionString;
    private readonly SqliteWriteGate _writes = new();
    private readonly TimeProvider _clock;

    private SqliteLedgerStore(string path, TimeProvider clock)
    {
        Path = path;
        _clock = clock;
        _connectionString = ConnectionStringFor(path);
    }

    public string Path { get; }

    public string Description => $"SQLite file {Path}";

    /// <summary>
    /// How the ledger's SQLite files are opened: created when missing, pooled, and waiting up to 30 s for a lock
    /// another connection holds.
    /// </summary>
    public static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>A file that belongs with the ledger at <paramref name="ledgerPath"/>: same folder, <c>NAME.KIND.db</c>.</summary>
    public static string PathBeside(string ledgerPath, string kind)
    {
        var full = System.IO.Path.GetFullPath(ledgerPath);
        return System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(full) ?? ".",
            $"{System.IO.Path.GetFileNameWithoutExtension(full)}.{kind}.db");
    }

    /// <summary>Opens (and if needed creates) the ledger file at <paramref name="path"/>.</summary>
    public static async Task<SqliteLedgerStore> OpenAsync(string path, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full);
        try
        {
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            var store = new SqliteLedgerStore(full, clock);
            await using var connection = await store.OpenConnectionAsync(cancellationToken);
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
                """, cancellationToken);
            await CreateLogTablesAsync(connection, cancellationToken);
            await CreateCopyTableAsync(connection, cancellationToken);
            await store.CatchUpLogAsync(cancellationToken);
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new LedgerStoreUnavailableException($"Cannot open the SQLite ledger at {full}: {e.Message}", e);
        }
    }

    public Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default) =>
        AppendAsync(appends, null, cancellationToken);

    public async Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition, CancellationToken cancellationToken = default)
    {
        AppendPlan.Validate(appends);
        return await _writes.RunAsync(() => AppendOneAsync(appends, precondition, cancellationToken), cancellationToken);
    }

    public Task ImportAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default) =>
        _writes.RunAsync(() => ImportOneAsync(events, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<AppendedEvent>> AppendOneAsync(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (precondition is not null)
        {
            await precondition(new Snapshot(connection), cancellationToken);
        }

        var stored = await FindEventsAsync(connection, appends.SelectMany(a => a.Events).Select(e => e.EventId).ToArray(), cancellationToken);
        var position = await ScalarAsync(connection, HeadSql, cancellationToken);
        var log = await ResumeLogAsync(connection, cancellationToken);
        await CatchUpAsync(connection, log, int.MaxValue, cancellationToken);
        var heads = await HeadsAsync(connection, appends.Select(a => a.StreamId), cancellationToken);
        var decided = AppendPlan.DecideAll(appends, streamId => heads[streamId], stored, _clock.GetUtcNow());
        var results = new List<AppendedEvent>();
        await using var inserter = new EventInserter(connection);
        foreach (var (existing, writes) in decided)
        {
            results.AddRange(existing.Select(e => new AppendedEvent(e.EventId, e.StreamId, e.StreamVersion, e.Position, AppendStatus.AlreadyAppended, e.Hash)));
            foreach (var write in writes)
            {
                position++;
                var written = new StoredEvent(
                    position, write.Append.StreamId, write.StreamVersion, write.Event.EventId, write.Event.Type, write.Event.SchemaVersion,
                    write.Data, write.RecordedAt, write.PreviousHash, write.Hash);
                await inserter.InsertAsync(position, written, cancellationToken);
                log.Add(written);
                results.Add(new AppendedEvent(write.Event.EventId, write.Append.StreamId, write.StreamVersion, position, AppendStatus.Appended, write.Hash));
            }
        }

        await WriteLogAsync(connection, log, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    private async Task ImportOneAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var position = await ScalarAsync(connection, HeadSql, cancellationToken);
        var log = await ResumeLogAsync(connection, cancellationToken);
        await CatchUpAsync(connection, log, int.MaxValue, cancellationToken);
        var heads = await HeadsAsync(connection, events.Select(e => e.StreamId).Distinct(StringComparer.Ordinal), cancellationToken);
        await using var inserter = new EventInserter(connection);
        foreach (var e in events)
        {
            AppendPlan.CheckImport(e, heads[e.StreamId]);
            position++;
            await inserter.InsertAsync(position, e, cancellationToken);
            log.Add(e with { Position = position });
            heads[e.StreamId] = new StreamHead(e.StreamVersion, e.Hash);
        }

        await WriteLogAsync(connection, log, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default) =>
        KeysetPages.ReadAsync(
            Math.Max(1, fromVersion),
            (from, ct) => QueryAsync(
                $"SELECT {Columns} FROM ledger_events WHERE stream_id = $s AND stream_version >= $v ORDER BY stream_version LIMIT {ReadPage}",
                c => { c.Parameters.AddWithValue("$s", streamId); c.Parameters.AddWithValue("$v", from); },
                ct),
            e => e.StreamVersion + 1,
            ReadPage,
            cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default) =>
        KeysetPages.ReadAsync(
            afterPosition,
            (after, ct) => QueryAsync(
                $"SELECT {Columns} FROM ledger_events WHERE position > $p ORDER BY position LIMIT {ReadPage}",
                c => c.Parameters.AddWithValue("$p", after),
                ct),
            e => e.Position,
            ReadPage,
            cancellationToken);

    public async Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ScalarAsync(connection, HeadSql, cancellationToken);
    }

    public async Task<StoredEvent?> FindEventAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync(
            $"SELECT {Columns} FROM ledger_events WHERE event_id = $id",
            c => c.Parameters.AddWithValue("$id", eventId.ToString("D")),
            cancellationToken);
        return found.SingleOrDefault();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _writes.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await Execute(connection, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", cancellationToken);
        return connection;
    }

    private static async Task<Dictionary<Guid, StoredEvent>> FindEventsAsync(SqliteConnection connection, Guid[] ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, StoredEvent>();
        foreach (var chunk in ids.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            var names = chunk.Select((id, i) =>
            {
                command.Parameters.AddWithValue($"$id{i}", id.ToString("D"));
                return $"$id{i}";
            }).ToArray();
            command.CommandText = $"SELECT {Columns} FROM ledger_events WHERE event_id IN ({string.Join(',', names)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var e = Read(reader);
                found[e.EventId] = e;
            }
        }

        return found;
    }

    private Task<List<StoredEvent>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        QueryAsync(sql, bind, Read, cancellationToken);

    /// <summary>The rows <paramref name="sql"/> selects, each taken apart by <paramref name="read"/>, on a connection of its own.</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Reads on the append's own connection, inside its <c>BEGIN IMMEDIATE</c> transaction.</summary>
    private sealed class Snapshot(SqliteConnection connection) : IAppendSnapshot
    {
        public async IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM ledger_events WHERE stream_id = $s ORDER BY stream_version";
            command.Parameters.AddWithValue("$s", streamId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return Read(reader);
            }
        }
    }

    private static StoredEvent Read(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetInt64(2),
        Guid.Parse(r.GetString(3)),
        r.GetString(4),
        r.GetInt32(5),
        r.GetString(6),
        DateTimeOffset.Parse(r.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        r.GetString(8),
        r.GetString(9));

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
