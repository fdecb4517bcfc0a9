using System.Data.Common;
using Npgsql;
using Wolverine.RDBMS;

namespace KarabakhLedger.Service.Publishing;

/// <summary>
/// How far the score-change outbox has published: one row in Wolverine's message database, read and advanced in the
/// same transaction that stores the published messages, under a lock that lets one node publish at a time (a
/// transaction-scoped advisory lock on PostgreSQL, the write lock of <c>BEGIN IMMEDIATE</c> on SQLite).
/// </summary>
internal sealed class OutboxCheckpoint(DbDataSource source, string table, bool postgres)
{
    private const string Name = "relationship-score-changed";

    public static OutboxCheckpoint For(IMessageDatabase database) =>
        database.DataSource is NpgsqlDataSource
            ? new OutboxCheckpoint(database.DataSource, $"\"{database.SchemaName}\".ledger_outbox_checkpoint", postgres: true)
            : new OutboxCheckpoint(database.DataSource, "ledger_outbox_checkpoint", postgres: false);

    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, $"create table if not exists {table} (name text primary key, position bigint not null)", cancellationToken);
    }

    /// <summary>Begins the transaction, waits for the lock and reads the position (null before the first publication).</summary>
    public async Task<OutboxClaim> ClaimAsync(CancellationToken cancellationToken)
    {
        var connection = await source.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (postgres)
            {
                await Execute(connection, transaction, $"select pg_advisory_xact_lock(hashtextextended('{table}', 0))", cancellationToken);
            }

            await using var read = Command(connection, transaction, $"select position from {table} where name = @name");
            var position = await read.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
            return new OutboxClaim(connection, transaction, position, this);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal Task AdvanceAsync(DbConnection connection, DbTransaction transaction, long position, CancellationToken cancellationToken)
    {
        var command = Command(
            connection,
            transaction,
            $"insert into {table} (name, position) values (@name, @position) on conflict (name) do update set position = excluded.position");
        var parameter = command.CreateParameter();
        parameter.ParameterName = "position";
        parameter.Value = position;
        command.Parameters.Add(parameter);
        return Run(command, cancellationToken);
    }

    private static async Task Run(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Run(command, cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var name = command.CreateParameter();
        name.ParameterName = "name";
        name.Value = Name;
        command.Parameters.Add(name);
        return command;
    }
}

/// <summary>The outbox's lock and position, held until it is committed or disposed (which rolls back).</summary>
internal sealed class OutboxClaim(DbConnection connection, DbTransaction transaction, long? position, OutboxCheckpoint checkpoint) : IAsyncDisposable
{
    public DbTransaction Transaction { get; } = transaction;

    /// <summary>The last position published; null when nothing has been yet.</summary>
    public long? Position { get; } = position;

    /// <summary>Moves the position to <paramref name="published"/> and commits it with the messages stored in the transaction.</summary>
    public async Task CommitAsync(long published, CancellationToken cancellationToken)
    {
        await checkpoint.AdvanceAsync(connection, Transaction, published, cancellationToken);
        await Transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
