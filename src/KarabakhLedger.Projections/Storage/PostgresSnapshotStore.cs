using KarabakhLedger.Ledger.Store;
using Npgsql;
using NpgsqlTypes;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Projection state in PostgreSQL: tables <c>projection_state</c> (blobs) and <c>projection_chunks</c> in a schema of
/// its own (default <see cref="DefaultSchema"/>), created on first use. Etags are a version number compared in the
/// <c>UPDATE … WHERE etag = @expected</c> itself, so two activations of one grain cannot both win a write; a write
/// that touches the chunks too runs in one transaction with it.
/// </summary>
public sealed class PostgresSnapshotStore : ISnapshotStore
{
    public const string DefaultSchema = "projections";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly string _table;
    private readonly string _chunks;

    private PostgresSnapshotStore(NpgsqlDataSource dataSource, TimeProvider clock, string schema, string description)
    {
        _dataSource = dataSource;
        _clock = clock;
        Schema = schema;
        Description = description;
        _table = $"{schema}.projection_state";
        _chunks = $"{schema}.projection_chunks";
    }

    public string Schema { get; }

    public string Description { get; }

    /// <summary>The connections of this store, shared with the change log kept in the same schema.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>
    /// Opens the store in <paramref name="schema"/> of the database <paramref name="connectionString"/> names,
    /// creating the schema and its table if they are missing.
    /// </summary>
    /// <exception cref="LedgerStoreUnavailableException">the server cannot be reached or refuses; the message says why.</exception>
    public static async Task<PostgresSnapshotStore> OpenAsync(
        string connectionString, TimeProvider clock, string schema = DefaultSchema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clock);
        SchemaNames.Check(schema, nameof(schema));

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var description = $"PostgreSQL projection store at {builder.Host}:{builder.Port}/{builder.Database} (schema {schema})";
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                $"""
                SELECT pg_advisory_xact_lock(hashtext('karabakh-ledger/projections/{schema}'));
                CREATE SCHEMA IF NOT EXISTS {schema};
                CREATE TABLE IF NOT EXISTS {schema}.projection_state (
                    state_name text NOT NULL,
                    grain_id text NOT NULL,
                    etag bigint NOT NULL,
                    data bytea NOT NULL,
                    written_at timestamptz NOT NULL,
                    PRIMARY KEY (state_name, grain_id)
                );
                CREATE TABLE IF NOT EXISTS {schema}.projection_chunks (
                    state_name text NOT NULL,
                    grain_id text NOT NULL,
                    chunk integer NOT NULL,
                    data bytea NOT NULL,
                    PRIMARY KEY (state_name, grain_id, chunk)
                );
                """, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new PostgresSnapshotStore(dataSource, clock, schema, description);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw new LedgerStoreUnavailableException($"Cannot open the {description}: {e.Message}", e);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async Task<StoredSnapshot?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken = default)
    {
        // One statement, so the blob and its chunks are read as of one moment.
        await using var command = _dataSource.CreateCommand($"""
            SELECT -1 AS chunk, data, etag, written_at FROM {_table} WHERE state_name = $1 AND grain_id = $2
            UNION ALL
            SELECT chunk, data, NULL, NULL FROM {_chunks} WHERE state_name = $1 AND grain_id = $2
            ORDER BY chunk
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.GetInt32(0) != -1)
        {
            return null;
        }

        var data = reader.GetFieldValue<byte[]>(1);
        var etag = reader.GetInt64(2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var writtenAt = reader.GetFieldValue<DateTimeOffset>(3);
        var chunks = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            chunks.Add(reader.GetFieldValue<byte[]>(1));
        }

        return new StoredSnapshot(data, chunks, etag, writtenAt);
    }

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await WriteBlobAsync(connection, null, stateName, grainId, data, expectedETag, dropChunks: true, cancellationToken);
    }

    public async Task<string> AppendAsync(
        string stateName, string grainId, ReadOnlyMemory<byte> head, int chunk, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var etag = await WriteBlobAsync(connection, transaction, stateName, grainId, head, expectedETag, dropChunks: false, cancellationToken);
        await using (var before = new NpgsqlCommand($"SELECT count(*) FROM {_chunks} WHERE state_name = $1 AND grain_id = $2 AND chunk < $3", connection, transaction))
        {
            before.Parameters.Add(new NpgsqlParameter { Value = stateName });
            before.Parameters.Add(new NpgsqlParameter { Value = grainId });
            before.Parameters.Add(new NpgsqlParameter { Value = chunk });
            var stored = (long)(await before.ExecuteScalarAsync(cancellationToken))!;
            if (stored != chunk)
            {
                throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"State '{stateName}' of {grainId} has {stored} chunks before chunk {chunk}.");
            }
        }

        await using (var drop = new NpgsqlCommand($"DELETE FROM {_chunks} WHERE state_name = $1 AND grain_id = $2 AND chunk >= $3", connection, transaction))
        {
            drop.Parameters.Add(new NpgsqlParameter { Value = stateName });
            drop.Parameters.Add(new NpgsqlParameter { Value = grainId });
            drop.Parameters.Add(new NpgsqlParameter { Value = chunk });
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO {_chunks} (state_name, grain_id, chunk, data) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = stateName });
            insert.Parameters.Add(new NpgsqlParameter { Value = grainId });
            insert.Parameters.Add(new NpgsqlParameter { Value = chunk });
            insert.Parameters.Add(new NpgsqlParameter { Value = data.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return etag;
    }

    public async Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken = default)
    {
        if (expectedETag is null)
        {
            if (await CurrentETagAsync(stateName, grainId, cancellationToken) is { } current)
            {
                throw new SnapshotConflictException(stateName, grainId, null, current);
            }

            return;
        }

        await using var command = _dataSource.CreateCommand($"""
            WITH cleared AS (DELETE FROM {_table} WHERE state_name = $1 AND grain_id = $2 AND etag = $3 RETURNING 1),
            dropped AS (DELETE FROM {_chunks} WHERE state_name = $1 AND grain_id = $2 AND EXISTS (SELECT 1 FROM cleared))
            SELECT count(*) FROM cleared
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId });
        command.Parameters.Add(new NpgsqlParameter { Value = ParseETag(stateName, grainId, expectedETag) });
        if ((long)(await command.ExecuteScalarAsync(cancellationToken))! != 1)
        {
            throw new SnapshotConflictException(stateName, grainId, expectedETag, await CurrentETagAsync(stateName, grainId, cancellationToken));
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// Replaces the blob if the etag is the expected one (inside <paramref name="transaction"/> when there is one, which
    /// a lost race leaves to roll back), and with <paramref name="dropChunks"/> drops the chunks in the same statement.
    /// </summary>
    private async Task<string> WriteBlobAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag,
        bool dropChunks, CancellationToken cancellationToken)
    {
        var expected = expectedETag is null ? (long?)null : ParseETag(stateName, grainId, expectedETag);

        // With nothing stored there are no chunks to drop: they are only ever written with their blob and cleared with it.
        var sql = expected is null
            ? $"WITH written AS (INSERT INTO {_table} (state_name, grain_id, etag, data, written_at) VALUES ($1, $2, 1, $3, $4) ON CONFLICT (state_name, grain_id) DO NOTHING RETURNING 1) SELECT count(*) FROM written"
            : dropChunks
                ? $"""
                  WITH written AS (UPDATE {_table} SET etag = etag + 1, data = $3, written_at = $4 WHERE state_name = $1 AND grain_id = $2 AND etag = $5 RETURNING 1),
                  dropped AS (DELETE FROM {_chunks} WHERE state_name = $1 AND grain_id = $2 AND EXISTS (SELECT 1 FROM written))
                  SELECT count(*) FROM written
                  """
                : $"WITH written AS (UPDATE {_table} SET etag = etag + 1, data = $3, written_at = $4 WHERE state_name = $1 AND grain_id = $2 AND etag = $5 RETURNING 1) SELECT count(*) FROM written";
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = stateName });
            command.Parameters.Add(new NpgsqlParameter { Value = grainId });
            command.Parameters.Add(new NpgsqlParameter { Value = data.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = _clock.GetUtcNow() });
            if (expected is { } version)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = version });
            }

            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 1)
            {
                return ((expected ?? 0) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new SnapshotConflictException(stateName, grainId, expectedETag, await CurrentETagAsync(connection, transaction, stateName, grainId, cancellationToken));
    }

    private static long ParseETag(string stateName, string grainId, string etag) =>
        long.TryParse(etag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new SnapshotConflictException(stateName, grainId, etag, null);

    private async Task<string?> CurrentETagAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await CurrentETagAsync(connection, null, stateName, grainId, cancellationToken);
    }

    private async Task<string?> CurrentETagAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT etag FROM {_table} WHERE state_name = $1 AND grain_id = $2", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId });
        return await command.ExecuteScalarAsync(cancellationToken) is long etag
            ? etag.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
