using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Scoring.Changes;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// The projection's change log (docs/adr/0021-change-log-from-the-grains.md): every <see cref="ScoreChange"/> a
/// generation's dyad grains produced, keyed by (generation, position, dyad), kept beside the projection state. The feed
/// appends a batch's entries in one transaction before it writes its checkpoint, and appending is idempotent, so what
/// is stored is always every change up to some position: a reader that resumes after position P gets every later
/// change once, in order. Entries at or below a generation's <see cref="FloorAsync">floor</see> were pruned.
/// </summary>
public sealed class ChangeLog : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly string _changes;
    private readonly string _floors;
    private readonly string _create;
    private readonly SqliteWriteGate? _writes;
    private readonly IAsyncDisposable? _owned;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _created;

    private ChangeLog(Func<CancellationToken, Task<DbConnection>> open, string prefix, string create, SqliteWriteGate? writes, IAsyncDisposable? owned, string description)
    {
        _open = open;
        _changes = $"{prefix}projection_changes";
        _floors = $"{prefix}projection_change_floors";
        _create = create;
        _writes = writes;
        _owned = owned;
        Description = description;
    }

    public string Description { get; }

    /// <summary>
    /// The change log of a projection store: the file <c>NAME.projections.changes.db</c> beside a SQLite one (its own
    /// file, so its writes never wait for snapshot writes), or tables in the schema of a PostgreSQL one; for an
    /// <see cref="IWrappingSnapshotStore"/>, that of the store it wraps.
    /// </summary>
    public static ChangeLog For(ISnapshotStore snapshots) => snapshots switch
    {
        SqliteSnapshotStore sqlite => Sqlite(Path.ChangeExtension(sqlite.Path, ".changes.db")),
        PostgresSnapshotStore postgres => new ChangeLog(
            async ct => await postgres.DataSource.OpenConnectionAsync(ct),
            $"{postgres.Schema}.",
            $"""
            SELECT pg_advisory_xact_lock(hashtext('karabakh-ledger/projections/{postgres.Schema}'));
            CREATE TABLE IF NOT EXISTS {postgres.Schema}.projection_changes (
                generation integer NOT NULL, position bigint NOT NULL, dyad text NOT NULL, sequence integer NOT NULL, data text NOT NULL,
                PRIMARY KEY (generation, position, dyad));
            CREATE INDEX IF NOT EXISTS projection_changes_by_dyad ON {postgres.Schema}.projection_changes (generation, dyad, position);
            CREATE TABLE IF NOT EXISTS {postgres.Schema}.projection_change_floors (generation integer PRIMARY KEY, floor bigint NOT NULL);
            """,
            null,
            null,
            $"change log in the {postgres.Description}"),
        IWrappingSnapshotStore wrapping => For(wrapping.Inner),
        _ => throw new NotSupportedException($"No change log is known for the {snapshots.Description}."),
    };

    /// <summary>A change log in the SQLite file at <paramref name="path"/> (created if missing).</summary>
    public static ChangeLog Sqlite(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writes = new SqliteWriteGate();
        return new ChangeLog(
            async ct =>
            {
                var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA synchronous = NORMAL;";
                await pragma.ExecuteNonQueryAsync(ct);
                return connection;
            },
            "",
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS projection_changes (
                generation INTEGER NOT NULL, position INTEGER NOT NULL, dyad TEXT NOT NULL, sequence INTEGER NOT NULL, data TEXT NOT NULL,
                PRIMARY KEY (generation, position, dyad)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS projection_changes_by_dyad ON projection_changes (generation, dyad, position);
            CREATE TABLE IF NOT EXISTS projection_change_floors (generation INTEGER PRIMARY KEY, floor INTEGER NOT NULL);
            """,
            writes,
            new SqlitePools(writes),
            $"SQLite change log {Path.GetFullPath(path)}");
    }

    /// <summary>Stores the entries in one transaction; entries already stored (same generation, position and dyad) are kept as they are.</summary>
    public Task AppendAsync(int generation, IReadOnlyList<ScoreChange> changes, CancellationToken cancellationToken = default) =>
        changes.Count == 0 ? Task.CompletedTask : WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var change in changes)
            {
                await using var command = Command(
                    connection,
                    $"INSERT INTO {_changes} (generation, position, dyad, sequence, data) VALUES (@g, @p, @d, @s, @data) ON CONFLICT (generation, position, dyad) DO NOTHING",
                    ("g", generation), ("p", change.Position), ("d", change.Dyad), ("s", change.Sequence), ("data", JsonSerializer.Serialize(change, LedgerJson.Options)));
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Entries at positions from <paramref name="fromPosition"/> on, of the dyads named (all when null), in order of
    /// position, then sequence: about <paramref name="limit"/> of them, never ending inside a position.
    /// </summary>
    public async Task<IReadOnlyList<ScoreChange>> ReadAsync(
        int generation, long fromPosition, IReadOnlySet<string>? dyads, int limit, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        var filter = dyads is null ? "" : $" AND dyad IN ({string.Join(", ", dyads.Select((_, i) => $"@d{i.ToString(CultureInfo.InvariantCulture)}"))})";
        if (dyads is { Count: 0 })
        {
            return [];
        }

        await using var connection = await _open(cancellationToken);
        await using var command = Command(
            connection,
            $"""
            SELECT data FROM {_changes} WHERE generation = @g AND position >= @from{filter} AND position <= (
                SELECT max(position) FROM (SELECT position FROM {_changes} WHERE generation = @g AND position >= @from{filter} ORDER BY position LIMIT @limit) AS page)
            ORDER BY position, sequence, dyad
            """,
            [("g", generation), ("from", fromPosition), ("limit", limit), .. (dyads ?? new HashSet<string>()).Select((d, i) => ($"d{i.ToString(CultureInfo.InvariantCulture)}", (object)d))]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<ScoreChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(JsonSerializer.Deserialize<ScoreChange>(reader.GetString(0), LedgerJson.Options)!);
        }

        return changes;
    }

    /// <summary>The position up to which entries of the generation were pruned; 0 when none were.</summary>
    public async Task<long> FloorAsync(int generation, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await _open(cancellationToken);
        await using var command = Command(connection, $"SELECT floor FROM {_floors} WHERE generation = @g", ("g", generation));
        return await command.ExecuteScalarAsync(cancellationToken) is { } floor and not DBNull ? Convert.ToInt64(floor, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Deletes the generation's entries at or below <paramref name="upTo"/> and raises its floor to it.</summary>
    public Task PruneAsync(int generation, long upTo, CancellationToken cancellationToken = default) =>
        WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var sql in new[]
            {
                $"DELETE FROM {_changes} WHERE generation = @g AND position <= @p",
                $"INSERT INTO {_floors} AS f (generation, floor) VALUES (@g, @p) ON CONFLICT (generation) DO UPDATE SET floor = CASE WHEN excluded.floor > f.floor THEN excluded.floor ELSE f.floor END",
            })
            {
                await using var command = Command(connection, sql, ("g", generation), ("p", upTo));
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Deletes every entry of a generation (a retired one: nobody reads it again).</summary>
    public Task DropAsync(int generation, CancellationToken cancellationToken = default) =>
        WriteAsync(async connection =>
        {
            foreach (var table in new[] { _changes, _floors })
            {
                await using var command = Command(connection, $"DELETE FROM {table} WHERE generation = @g", ("g", generation));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _creating.Dispose();
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }

    private async Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        async Task Run()
        {
            await using var connection = await _open(cancellationToken);
            await write(connection);
        }

        await (_writes is null ? Run() : _writes.RunAsync(Run, cancellationToken));
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _creating.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                // One batch of statements: PostgreSQL runs it as one implicit transaction (the advisory lock lasts it);
                // SQLite cannot switch to WAL inside a transaction.
                await using var connection = await _open(cancellationToken);
                await using var command = Command(connection, _create);
                await command.ExecuteNonQueryAsync(cancellationToken);
                _created = true;
            }
        }
        finally
        {
            _creating.Release();
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>What a SQLite change log owns: its write gate, and the pooled connections to its file.</summary>
    private sealed class SqlitePools(SqliteWriteGate writes) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            writes.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
