using KarabakhLedger.Ledger.Store;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Ledger.Sqlite;

/// <summary>
/// The statements an append or import runs once per stream or per event, each prepared once per transaction and
/// run again with new values, so a batch of thousands of events costs one parse of each statement.
/// </summary>
public sealed partial class SqliteLedgerStore
{
    /// <summary>Each stream's head, read through one prepared statement.</summary>
    private static async Task<Dictionary<string, StreamHead>> HeadsAsync(SqliteConnection connection, IEnumerable<string> streamIds, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_version, hash FROM ledger_events WHERE stream_id = $s ORDER BY stream_version DESC LIMIT 1";
        var stream = command.Parameters.Add("$s", SqliteType.Text);
        command.Prepare();
        var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
        foreach (var streamId in streamIds)
        {
            stream.Value = streamId;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            heads[streamId] = await reader.ReadAsync(cancellationToken)
                ? new StreamHead(reader.GetInt64(0), reader.GetString(1))
                : new StreamHead(0, EventHash.Genesis);
        }

        return heads;
    }

    /// <summary>One prepared <c>INSERT</c> into <c>ledger_events</c>, run once per event of the transaction.</summary>
    private sealed class EventInserter : IAsyncDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter[] _values;

        public EventInserter(SqliteConnection connection)
        {
            _command = connection.CreateCommand();
            _command.CommandText = $"INSERT INTO ledger_events ({Columns}) VALUES ($p, $s, $v, $id, $t, $sv, $d, $at, $ph, $h)";
            _values =
            [
                _command.Parameters.Add("$p", SqliteType.Integer),
                _command.Parameters.Add("$s", SqliteType.Text),
                _command.Parameters.Add("$v", SqliteType.Integer),
                _command.Parameters.Add("$id", SqliteType.Text),
                _command.Parameters.Add("$t", SqliteType.Text),
                _command.Parameters.Add("$sv", SqliteType.Integer),
                _command.Parameters.Add("$d", SqliteType.Text),
                _command.Parameters.Add("$at", SqliteType.Text),
                _command.Parameters.Add("$ph", SqliteType.Text),
                _command.Parameters.Add("$h", SqliteType.Text),
            ];
            _command.Prepare();
        }

        public async Task InsertAsync(long position, StoredEvent e, CancellationToken cancellationToken)
        {
            _values[0].Value = position;
            _values[1].Value = e.StreamId;
            _values[2].Value = e.StreamVersion;
            _values[3].Value = e.EventId.ToString("D");
            _values[4].Value = e.Type;
            _values[5].Value = e.SchemaVersion;
            _values[6].Value = e.Data;
            _values[7].Value = EventHash.FormatTimestamp(e.RecordedAt);
            _values[8].Value = e.PreviousHash;
            _values[9].Value = e.Hash;
            await _command.ExecuteNonQueryAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => _command.DisposeAsync();
    }
}
