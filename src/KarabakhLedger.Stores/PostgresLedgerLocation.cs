using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;
using Npgsql;
using Wolverine;
using Wolverine.Postgresql;

namespace KarabakhLedger.Stores;

/// <summary>
/// A ledger in PostgreSQL: the database <see cref="ConnectionString"/> names, the ledger's tables in
/// <see cref="Schema"/>, its projections' state in <c>SCHEMA_projections</c> and its messages in
/// <c>SCHEMA_messages</c>, unless the service names other schemas.
/// </summary>
public sealed record PostgresLedgerLocation : LedgerLocation
{
    public PostgresLedgerLocation(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaNames.Check(schema, nameof(schema));

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException("The connection string names no host.", nameof(connectionString));
        }

        ConnectionString = connectionString;
        Schema = schema;
        Description = $"PostgreSQL database {builder.Host}:{builder.Port}/{builder.Database} (schema {schema})";
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public override string Description { get; }

    public string ProjectionSchema => $"{Schema}_projections";

    public string MessageSchema => $"{Schema}_messages";

    public override IReadOnlyDictionary<string, string> AsSettings() =>
        new Dictionary<string, string> { ["Store"] = ConnectionString, ["StoreSchema"] = Schema };

    public override async Task<ILedgerStore> OpenLedgerAsync(TimeProvider clock, CancellationToken cancellationToken = default) =>
        await MartenLedgerStore.OpenAsync(ConnectionString, clock, Schema, cancellationToken);

    public override async Task<ISnapshotStore> OpenProjectionsAsync(TimeProvider clock, string? schema = null, CancellationToken cancellationToken = default) =>
        await PostgresSnapshotStore.OpenAsync(ConnectionString, clock, schema ?? ProjectionSchema, cancellationToken);

    public override void PersistMessages(WolverineOptions options, string? schema = null) =>
        options.PersistMessagesWithPostgresql(ConnectionString, schema ?? MessageSchema);
}
