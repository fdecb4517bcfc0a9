using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Tests.Sqlite;
using KarabakhLedger.Testing;
using KarabakhLedger.Testing.Tampering;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Ledger.Tests.Tampering;

/// <summary>A SQLite ledger file, changed behind the ledger's back through a connection of its own.</summary>
public sealed class SqliteTamperedLedger : TamperedLedger
{
    private readonly string _path = TempLedger.NewPath();

    public override IReadOnlyList<Corruption> Corruptions { get; } =
    [
        new("UPDATE ledger_events SET data = 'not json {' WHERE position = $p", "data is not JSON"),
        new("UPDATE ledger_events SET recorded_at = 'yesterday' WHERE position = $p", "recorded_at 'yesterday' is not a UTC time"),
        new("UPDATE ledger_events SET event_id = 'not-a-guid' WHERE position = $p", "event_id 'not-a-guid' is not a GUID"),
    ];

    public override async Task<ILedgerStore> OpenAsync() => await SqliteLedgerStore.OpenAsync(_path, TimeProvider.System);

    public override Task DeleteAsync(long position) => ExecuteAsync("DELETE FROM ledger_events WHERE position = $p", position);

    public override Task DeleteStreamAsync(string streamId) => ExecuteAsync("DELETE FROM ledger_events WHERE stream_id = $s", 0, streamId);

    public override async Task SwapPositionsAsync(long a, long b)
    {
        await ExecuteAsync("UPDATE ledger_events SET position = -1 WHERE position = $p", a);
        await ExecuteAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE ledger_events SET position = {a} WHERE position = $p"), b);
        await ExecuteAsync("UPDATE ledger_events SET position = $p WHERE position = -1", b);
    }

    public override async Task InsertAsync(StoredEvent e)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO ledger_events (position, stream_id, stream_version, event_id, type, schema_version, data, recorded_at, previous_hash, hash)
            VALUES ($p, $s, $v, $id, $t, $sv, $d, $at, $prev, $h)
            """;
        command.Parameters.AddWithValue("$p", e.Position);
        command.Parameters.AddWithValue("$s", e.StreamId);
        command.Parameters.AddWithValue("$v", e.StreamVersion);
        command.Parameters.AddWithValue("$id", e.EventId.ToString("D"));
        command.Parameters.AddWithValue("$t", e.Type);
        command.Parameters.AddWithValue("$sv", e.SchemaVersion);
        command.Parameters.AddWithValue("$d", e.Data);
        command.Parameters.AddWithValue("$at", EventHash.FormatTimestamp(e.RecordedAt));
        command.Parameters.AddWithValue("$prev", e.PreviousHash);
        command.Parameters.AddWithValue("$h", e.Hash);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public override async Task DropLogAsync()
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ledger_log_leaves; DELETE FROM ledger_log_nodes;";
        await command.ExecuteNonQueryAsync();
    }

    public override async Task WriteNodeAsync(NodeId id, byte[] hash)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO ledger_log_nodes (level, node_index, hash) VALUES ($l, $i, $h)";
        command.Parameters.AddWithValue("$l", id.Level);
        command.Parameters.AddWithValue("$i", id.Index);
        command.Parameters.AddWithValue("$h", hash);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public override Task CorruptAsync(long position, Corruption corruption) => ExecuteAsync(corruption.Name, position);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task ExecuteAsync(string sql, long position, string? stream = null)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", position);
        command.Parameters.AddWithValue("$s", (object?)stream ?? DBNull.Value);
        Assert.True(await command.ExecuteNonQueryAsync() >= 1, $"'{sql}' changed no row");
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=false");
        await connection.OpenAsync();
        return connection;
    }
}

public sealed class SqliteTamperTests : TamperSuite
{
    protected override Task<TamperedLedger> CreateEmptyAsync() => Task.FromResult<TamperedLedger>(new SqliteTamperedLedger());
}
