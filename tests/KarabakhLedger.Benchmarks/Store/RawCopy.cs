using Npgsql;
using NpgsqlTypes;

namespace KarabakhLedger.Benchmarks.Store;

/// <summary>
/// The floor for writing: Npgsql's binary COPY of the same rows into a plain table with the ledger's columns and
/// its uniqueness rules (position, event id, stream and version), one transaction per batch. Positions and
/// versions come from the client; nothing is read, locked or hashed.
/// </summary>
internal sealed class RawCopy(NpgsqlDataSource dataSource, string table) : IAsyncDisposable
{
    private const string Columns =
        "position, stream_id, stream_version, event_id, type, schema_version, data, recorded_at, previous_hash, hash";

    public static async Task<RawCopy> OpenAsync(string connectionString, string schema)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var table = $"{schema}.ledger_events";
        await using var command = dataSource.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE {table} (
                position bigint PRIMARY KEY,
                stream_id text NOT NULL,
                stream_version bigint NOT NULL,
                event_id uuid NOT NULL UNIQUE,
                type text NOT NULL,
                schema_version integer NOT NULL,
                data text NOT NULL,
                recorded_at timestamptz NOT NULL,
                previous_hash text NOT NULL,
                hash text NOT NULL,
                UNIQUE (stream_id, stream_version)
            );
            """);
        await command.ExecuteNonQueryAsync();
        return new RawCopy(dataSource, table);
    }

    public async Task AppendAsync(Batch batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in batch.Events)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(e.Position, NpgsqlDbType.Bigint);
                await writer.WriteAsync(e.StreamId, NpgsqlDbType.Text);
                await writer.WriteAsync(e.Version, NpgsqlDbType.Bigint);
                await writer.WriteAsync(e.Event.EventId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(e.Event.Type, NpgsqlDbType.Text);
                await writer.WriteAsync(e.Event.SchemaVersion, NpgsqlDbType.Integer);
                await writer.WriteAsync(e.Event.Data, NpgsqlDbType.Text);
                await writer.WriteAsync(e.Record.RecordedAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(e.Record.PreviousHash, NpgsqlDbType.Text);
                await writer.WriteAsync(e.Record.Hash, NpgsqlDbType.Text);
            }

            await writer.CompleteAsync();
        }

        await transaction.CommitAsync();
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
