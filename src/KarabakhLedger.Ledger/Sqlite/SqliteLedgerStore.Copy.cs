using System.Globalization;
using KarabakhLedger.Ledger.Store;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Ledger.Sqlite;

/// <summary>The copy-in-progress mark: at most one row of <c>ledger_copy_in_progress</c>, there while a copy into this file is unfinished.</summary>
public sealed partial class SqliteLedgerStore
{
    private const string CopySchema = """
        CREATE TABLE IF NOT EXISTS ledger_copy_in_progress (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            source TEXT NOT NULL,
            started_at TEXT NOT NULL
        );
        """;

    public async Task<CopyInProgress?> GetCopyInProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT source, started_at FROM ledger_copy_in_progress WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CopyInProgress(reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal))
            : null;
    }

    public Task SetCopyInProgressAsync(CopyInProgress? copy, CancellationToken cancellationToken = default) =>
        _writes.RunAsync(async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            await Execute(connection, "DELETE FROM ledger_copy_in_progress", cancellationToken);
            if (copy is not null)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO ledger_copy_in_progress (id, source, started_at) VALUES (1, $s, $at)";
                insert.Parameters.AddWithValue("$s", copy.Source);
                insert.Parameters.AddWithValue("$at", EventHash.FormatTimestamp(copy.StartedAt));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    private static Task CreateCopyTableAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        Execute(connection, CopySchema, cancellationToken);
}
