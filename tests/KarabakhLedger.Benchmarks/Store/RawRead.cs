using System.Text.Json;
using KarabakhLedger.Ledger.Store;
using Npgsql;

namespace KarabakhLedger.Benchmarks.Store;

/// <summary>
/// Raw reads of the ledger's events straight from the port's Marten table (<c>mt_events</c>) with an
/// <see cref="NpgsqlDataReader"/>, in global order, the same rows ReadAllAsync returns (ledger events only, no
/// tombstones).
/// </summary>
internal sealed class RawRead(NpgsqlDataSource dataSource, string schema) : IAsyncDisposable
{
    private string Select => $"SELECT seq_id, stream_id, version, id, data FROM {schema}.mt_events WHERE type = '{BenchRecord.Alias}' AND is_archived = FALSE";

    public static RawRead Open(string connectionString, string schema) => new(NpgsqlDataSource.Create(connectionString), schema);

    /// <summary>
    /// The floor: one query, every column read (the payload as its JSON text, not parsed). This is "the raw read"
    /// of the targets.
    /// </summary>
    public async Task<long> SequentialAsync()
    {
        await using var command = dataSource.CreateCommand($"{Select} ORDER BY seq_id");
        await using var reader = await command.ExecuteReaderAsync();
        long count = 0;
        long check = 0;
        while (await reader.ReadAsync())
        {
            var position = reader.GetInt64(0);
            var stream = reader.GetString(1);
            var version = reader.GetInt64(2);
            var id = reader.GetGuid(3);
            var data = reader.GetString(4);
            check += position + version + stream.Length + data.Length + id.GetHashCode();
            count++;
        }

        GC.KeepAlive(check);
        return count;
    }

    /// <summary>
    /// What an adapter with a raw-SQL read path would do: keyset pages of <paramref name="pageSize"/> (as
    /// ReadAllAsync pages today), each row turned into a <see cref="StoredEvent"/> by parsing the payload JSON.
    /// </summary>
    public async Task<long> PagedToStoredEventsAsync(int pageSize)
    {
        long count = 0;
        long after = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand($"{Select} AND seq_id > $1 ORDER BY seq_id LIMIT {pageSize}");
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            var page = new List<StoredEvent>(pageSize);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    var record = JsonSerializer.Deserialize<BenchRecord>(reader.GetString(4))!;
                    page.Add(new StoredEvent(
                        reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), record.Type, record.SchemaVersion,
                        record.Data, record.RecordedAt.ToUniversalTime(), record.PreviousHash, record.Hash));
                }
            }

            count += page.Count;
            if (page.Count < pageSize)
            {
                return count;
            }

            after = page[^1].Position;
        }
    }

    /// <summary>
    /// As <see cref="PagedToStoredEventsAsync"/>, but PostgreSQL takes the payload apart (<c>data -&gt;&gt; 'field'</c>),
    /// so the client parses no JSON at all.
    /// </summary>
    public async Task<long> PagedExtractedInSqlAsync(int pageSize)
    {
        long count = 0;
        long after = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand($"""
                SELECT seq_id, stream_id, version, id, data ->> 'type', (data ->> 'schemaVersion')::int, data ->> 'data',
                       (data ->> 'recordedAt')::timestamptz, data ->> 'previousHash', data ->> 'hash'
                FROM {schema}.mt_events WHERE type = '{BenchRecord.Alias}' AND is_archived = FALSE AND seq_id > $1 ORDER BY seq_id LIMIT {pageSize}
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            var page = new List<StoredEvent>(pageSize);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    page.Add(new StoredEvent(
                        reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5),
                        reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8), reader.GetString(9)));
                }
            }

            count += page.Count;
            if (page.Count < pageSize)
            {
                return count;
            }

            after = page[^1].Position;
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
