using KarabakhLedger.Ledger.Store;
using Npgsql;
using NpgsqlTypes;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Projection state in PostgreSQL: table <c>projection_state</c> in a schema of its own (default
/// <see cref="DefaultSchema"/>), created on first use. Etags are a version number compared in the
/// <c>UPDATE … WHERE etag = @expected</c> itself, so two activations of one grain cannot both win a write.
/// </summary>
public sealed class PostgresSnapshotStore : ISnapshotStore
{
    public const string DefaultSchema = "projections";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly string _table;

    private PostgresSnapshotStore(NpgsqlDataSource dataSource, TimeProvider clock, string schema, string description)
    {
        _dataSource = dataSource;
        _clock = clock;
        Schema = schema;
        Description = description;
        _table = $"{schema}.projection_state";
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
        await using var command = _dataSource.CreateCommand($"SELECT data, etag, written_at FROM {_table} WHERE state_name = $1 AND grain_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredSnapshot(
            reader.GetFieldValue<byte[]>(0),
            reader.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            reader.GetFieldValue<DateTimeOffset>(2));
    }

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var expected = expectedETag is null ? (long?)null : ParseETag(stateName, grainId, expectedETag);
        await using (var command = _dataSource.CreateCommand(expected is null
            ? $"INSERT INTO {_table} (state_name, grain_id, etag, data, written_at) VALUES ($1, $2, 1, $3, $4) ON CONFLICT (state_name, grain_id) DO NOTHING"
            : $"UPDATE {_table} SET etag = etag + 1, data = $3, written_at = $4 WHERE state_name = $1 AND grain_id = $2 AND etag = $5"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = stateName });
            command.Parameters.Add(new NpgsqlParameter { Value = grainId });
            command.Parameters.Add(new NpgsqlParameter { Value = data.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = _clock.GetUtcNow() });
            if (expected is { } version)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = version });
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return ((expected ?? 0) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new SnapshotConflictException(stateName, grainId, expectedETag, await CurrentETagAsync(stateName, grainId, cancellationToken));
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

        await using var command = _dataSource.CreateCommand($"DELETE FROM {_table} WHERE state_name = $1 AND grain_id = $2 AND etag = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId });
        command.Parameters.Add(new NpgsqlParameter { Value = ParseETag(stateName, grainId, expectedETag) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new SnapshotConflictException(stateName, grainId, expectedETag, await CurrentETagAsync(stateName, grainId, cancellationToken));
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static long ParseETag(string stateName, string grainId, string etag) =>
        long.TryParse(etag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new SnapshotConflictException(stateName, grainId, etag, null);

    private async Task<string?> CurrentETagAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT etag FROM {_table} WHERE state_name = $1 AND grain_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId });
        return await command.ExecuteScalarAsync(cancellationToken) is long etag
            ? etag.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
