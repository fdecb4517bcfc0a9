using KarabakhLedger.Ledger.Store;
using Npgsql;

namespace KarabakhLedger.Ledger.Marten;

/// <summary>The copy-in-progress mark: at most one row of <c>ledger_copy_in_progress</c> in the ledger's schema, there while a copy into it is unfinished.</summary>
public sealed partial class MartenLedgerStore
{
    private string CopySchemaSql => $"""
        CREATE TABLE IF NOT EXISTS {Schema}.ledger_copy_in_progress (
            id integer PRIMARY KEY CHECK (id = 1),
            source text NOT NULL,
            started_at timestamptz NOT NULL
        );
        """;

    public Task<CopyInProgress?> GetCopyInProgressAsync(CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT source, started_at FROM {Schema}.ledger_copy_in_progress WHERE id = 1", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new CopyInProgress(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1))
                : null;
        });

    public Task SetCopyInProgressAsync(CopyInProgress? copy, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var delete = new NpgsqlCommand($"DELETE FROM {Schema}.ledger_copy_in_progress", connection, transaction))
            {
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            if (copy is not null)
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO {Schema}.ledger_copy_in_progress (id, source, started_at) VALUES (1, $1, $2)", connection, transaction);
                insert.Parameters.Add(new NpgsqlParameter { Value = copy.Source });
                insert.Parameters.Add(new NpgsqlParameter { Value = copy.StartedAt.ToUniversalTime() });
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        });

    private async Task CreateCopyTableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var create = new NpgsqlCommand(CopySchemaSql, connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
