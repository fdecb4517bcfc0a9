using System.Globalization;
using KarabakhLedger.Ledger.Sqlite;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Projection state in its own SQLite file, by default next to the ledger's (<c>ledger.db</c> →
/// <c>ledger.projections.db</c>): the ledger file stays append-only ledger data, and projection writes never take
/// the ledger's write lock. WAL with <c>synchronous = NORMAL</c>: a crash may lose the last writes, which only
/// makes the feed deliver again and dyads read their stream tail again. Writes from this process go one at a time
/// (<see cref="SqliteWriteGate"/>), so no Orleans thread blocks on SQLite's write lock. Blobs are in
/// <c>projection_state</c>, chunks in <c>projection_chunks</c>; a write that touches both is one transaction.
/// </summary>
public sealed class SqliteSnapshotStore : ISnapshotStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly SqliteWriteGate _writes = new();

    private SqliteSnapshotStore(string path, TimeProvider clock)
    {
        Path = path;
        _clock = clock;
        _connectionString = SqliteLedgerStore.ConnectionStringFor(path);
    }

    public string Path { get; }

    public string Description => $"SQLite projection store {Path}";

    /// <summary>The projection store beside a SQLite ledger file: same folder, <c>.projections.db</c> for the extension.</summary>
    public static string PathBesideLedger(string ledgerPath) => SqliteLedgerStore.PathBeside(ledgerPath, "projections");

    /// <summary>Opens (and if needed creates) the store at <paramref name="path"/>.</summary>
    public static async Task<SqliteSnapshotStore> OpenAsync(string path, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var store = new SqliteSnapshotStore(full, clock);
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS projection_state (
                state_name TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                etag INTEGER NOT NULL,
                data BLOB NOT NULL,
                written_at TEXT NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS projection_chunks (
                state_name TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                chunk INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (state_name, grain_id, chunk)
            );
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return store;
    }

    public async Task<StoredSnapshot?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // One statement, so the blob and its chunks are read as of one moment.
        command.CommandText = """
            SELECT -1 AS chunk, data, etag, written_at FROM projection_state WHERE state_name = $n AND grain_id = $g
            UNION ALL
            SELECT chunk, data, NULL, NULL FROM projection_chunks WHERE state_name = $n AND grain_id = $g
            ORDER BY chunk
            """;
        command.Parameters.AddWithValue("$n", stateName);
        command.Parameters.AddWithValue("$g", grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.GetInt64(0) != -1)
        {
            return null;
        }

        var data = (byte[])reader.GetValue(1);
        var etag = reader.GetInt64(2).ToString(CultureInfo.InvariantCulture);
        var writtenAt = DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var chunks = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            chunks.Add((byte[])reader.GetValue(1));
        }

        return new StoredSnapshot(data, chunks, etag, writtenAt);
    }

    public Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default) =>
        _writes.RunAsync(() => WriteOneAsync(stateName, grainId, data, expectedETag, cancellationToken), cancellationToken);

    public Task<string> AppendAsync(
        string stateName, string grainId, ReadOnlyMemory<byte> head, int chunk, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        return _writes.RunAsync(() => AppendOneAsync(stateName, grainId, head, chunk, data, expectedETag, cancellationToken), cancellationToken);
    }

    public Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken = default) =>
        _writes.RunAsync(() => ClearOneAsync(stateName, grainId, expectedETag, cancellationToken), cancellationToken);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _writes.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> WriteOneAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var etag = await WriteBlobAsync(connection, stateName, grainId, data, expectedETag, cancellationToken);
        await DropChunksAsync(connection, stateName, grainId, 0, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return etag;
    }

    private async Task<string> AppendOneAsync(
        string stateName, string grainId, ReadOnlyMemory<byte> head, int chunk, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var etag = await WriteBlobAsync(connection, stateName, grainId, head, expectedETag, cancellationToken);
        await using (var before = connection.CreateCommand())
        {
            before.CommandText = "SELECT count(*) FROM projection_chunks WHERE state_name = $n AND grain_id = $g AND chunk < $c";
            before.Parameters.AddWithValue("$n", stateName);
            before.Parameters.AddWithValue("$g", grainId);
            before.Parameters.AddWithValue("$c", chunk);
            var stored = (long)(await before.ExecuteScalarAsync(cancellationToken))!;
            if (stored != chunk)
            {
                throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"State '{stateName}' of {grainId} has {stored} chunks before chunk {chunk}.");
            }
        }

        await DropChunksAsync(connection, stateName, grainId, chunk, cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO projection_chunks (state_name, grain_id, chunk, data) VALUES ($n, $g, $c, $d)";
            insert.Parameters.AddWithValue("$n", stateName);
            insert.Parameters.AddWithValue("$g", grainId);
            insert.Parameters.AddWithValue("$c", chunk);
            insert.Parameters.AddWithValue("$d", data.ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return etag;
    }

    /// <summary>Replaces the blob if the etag is the expected one, inside the caller's transaction; a lost race throws and the caller's transaction rolls back.</summary>
    private async Task<string> WriteBlobAsync(SqliteConnection connection, string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$n", stateName);
        command.Parameters.AddWithValue("$g", grainId);
        command.Parameters.AddWithValue("$d", data.ToArray());
        command.Parameters.AddWithValue("$at", _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        long next;
        if (expectedETag is null)
        {
            next = 1;
            command.CommandText = """
                INSERT INTO projection_state (state_name, grain_id, etag, data, written_at) VALUES ($n, $g, 1, $d, $at)
                ON CONFLICT (state_name, grain_id) DO NOTHING
                """;
        }
        else
        {
            var expected = ParseETag(stateName, grainId, expectedETag);
            next = expected + 1;
            command.Parameters.AddWithValue("$e", expected);
            command.CommandText = """
                UPDATE projection_state SET etag = etag + 1, data = $d, written_at = $at
                WHERE state_name = $n AND grain_id = $g AND etag = $e
                """;
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return next.ToString(CultureInfo.InvariantCulture);
        }

        throw new SnapshotConflictException(stateName, grainId, expectedETag, await CurrentETagAsync(connection, stateName, grainId, cancellationToken));
    }

    private static async Task DropChunksAsync(SqliteConnection connection, string stateName, string grainId, int from, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM projection_chunks WHERE state_name = $n AND grain_id = $g AND chunk >= $c";
        command.Parameters.AddWithValue("$n", stateName);
        command.Parameters.AddWithValue("$g", grainId);
        command.Parameters.AddWithValue("$c", from);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ClearOneAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        if (expectedETag is null)
        {
            var current = await CurrentETagAsync(connection, stateName, grainId, cancellationToken);
            if (current is not null)
            {
                throw new SnapshotConflictException(stateName, grainId, null, current);
            }

            return;
        }

        await using var transaction = connection.BeginTransaction();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM projection_state WHERE state_name = $n AND grain_id = $g AND etag = $e";
            command.Parameters.AddWithValue("$n", stateName);
            command.Parameters.AddWithValue("$g", grainId);
            command.Parameters.AddWithValue("$e", ParseETag(stateName, grainId, expectedETag));
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new SnapshotConflictException(stateName, grainId, expectedETag, await CurrentETagAsync(connection, stateName, grainId, cancellationToken));
            }
        }

        await DropChunksAsync(connection, stateName, grainId, 0, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static long ParseETag(string stateName, string grainId, string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new SnapshotConflictException(stateName, grainId, etag, null);

    private static async Task<string?> CurrentETagAsync(SqliteConnection connection, string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag FROM projection_state WHERE state_name = $n AND grain_id = $g";
        command.Parameters.AddWithValue("$n", stateName);
        command.Parameters.AddWithValue("$g", grainId);
        return await command.ExecuteScalarAsync(cancellationToken) is long etag ? etag.ToString(CultureInfo.InvariantCulture) : null;
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
