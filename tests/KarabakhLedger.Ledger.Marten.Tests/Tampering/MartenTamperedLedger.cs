using System.Text.Json.Nodes;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;
using KarabakhLedger.Testing.Tampering;
using Npgsql;

namespace KarabakhLedger.Ledger.Marten.Tests.Tampering;

/// <summary>A Marten ledger in a scratch schema, changed behind the ledger's back with SQL on Marten's own tables.</summary>
public sealed class MartenTamperedLedger(ScratchSchema schema) : TamperedLedger
{
    private readonly string _s = schema.Name;

    public override IReadOnlyList<Corruption> Corruptions { get; } =
    [
        new("UPDATE {0}.mt_events SET data = jsonb_set(data, '{{data}}', '\"not json {{\"') WHERE seq_id = $1", "data.data is not JSON"),
        new("UPDATE {0}.mt_events SET data = jsonb_set(data, '{{recordedAt}}', '\"yesterday\"') WHERE seq_id = $1", "data.recordedAt 'yesterday' is not a time"),
        new("UPDATE {0}.mt_events SET data = '\"just text\"'::jsonb WHERE seq_id = $1", "data is a JSON String, not an object"),
    ];

    public static async Task<TamperedLedger> CreateAsync() => new MartenTamperedLedger((await PostgresServer.GetAsync()).NewSchema());

    public override async Task<ILedgerStore> OpenAsync() => await MartenLedgerStore.OpenAsync(schema.ConnectionString, TimeProvider.System, _s);

    public override Task DeleteAsync(long position) => ExecuteAsync($"DELETE FROM {_s}.mt_events WHERE seq_id = $1", position);

    public override Task DeleteStreamAsync(string streamId) => ExecuteAsync($"DELETE FROM {_s}.mt_events WHERE stream_id = $1", streamId);

    /// <summary>Hides the row from the ledger's readers without deleting it: <c>is_archived</c>, or another <c>type</c>.</summary>
    public Task HideAsync(long position, string set) => ExecuteAsync($"UPDATE {_s}.mt_events SET {set} WHERE seq_id = $1", position);

    /// <summary>Deletes the <c>mt_streams</c> row of a stream.</summary>
    public Task DeleteStreamRowAsync(string streamId) => ExecuteAsync($"DELETE FROM {_s}.mt_streams WHERE id = $1", streamId);

    public override async Task SwapPositionsAsync(long a, long b)
    {
        await ExecuteAsync($"UPDATE {_s}.mt_events SET seq_id = -1 WHERE seq_id = $1", a);
        await ExecuteAsync($"UPDATE {_s}.mt_events SET seq_id = {a} WHERE seq_id = $1", b);
        await ExecuteAsync($"UPDATE {_s}.mt_events SET seq_id = $1 WHERE seq_id = -1", b);
    }

    public override Task InsertAsync(StoredEvent e)
    {
        var data = new JsonObject
        {
            ["type"] = e.Type,
            ["schemaVersion"] = e.SchemaVersion,
            ["data"] = e.Data,
            ["recordedAt"] = EventHash.FormatTimestamp(e.RecordedAt),
            ["previousHash"] = e.PreviousHash,
            ["hash"] = e.Hash,
        };
        return ExecuteAsync(
            $"""
            INSERT INTO {_s}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
            SELECT $1, $2, $3, $4, $5::jsonb, type, timestamp, tenant_id, mt_dotnet_type, false FROM {_s}.mt_events WHERE type = 'ledger_event' LIMIT 1
            """,
            e.Position, e.EventId, e.StreamId, e.StreamVersion, data.ToJsonString());
    }

    public override Task DropLogAsync() => ExecuteAsync($"DELETE FROM {_s}.ledger_log_leaves; DELETE FROM {_s}.ledger_log_nodes", expectRows: false);

    public override Task WriteNodeAsync(NodeId id, byte[] hash) =>
        ExecuteAsync(
            $"INSERT INTO {_s}.ledger_log_nodes (level, node_index, hash) VALUES ($1, $2, $3) ON CONFLICT (level, node_index) DO UPDATE SET hash = excluded.hash",
            id.Level, id.Index, hash);

    public override Task CorruptAsync(long position, Corruption corruption) =>
        ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, corruption.Name, _s), position);

    public override ValueTask DisposeAsync() => schema.DisposeAsync();

    private Task ExecuteAsync(string sql, params object[] values) => ExecuteAsync(sql, true, values);

    private async Task ExecuteAsync(string sql, bool expectRows, params object[] values)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var changed = await command.ExecuteNonQueryAsync();
        Assert.True(!expectRows || changed >= 1, $"'{sql}' changed no row");
    }
}

public sealed class MartenTamperTests : TamperSuite
{
    protected override Task<TamperedLedger> CreateEmptyAsync() => MartenTamperedLedger.CreateAsync();
}
