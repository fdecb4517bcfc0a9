using Npgsql;

namespace KarabakhLedger.Testing;

/// <summary>
/// A PostgreSQL schema that belongs to one test: whatever the test creates in it is dropped, with the schema, on
/// dispose. The schema itself is not created here; the code under test creates it on first use.
/// </summary>
public sealed class ScratchSchema(string connectionString, string name) : IAsyncDisposable
{
    /// <summary>The server's connection string.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>The schema's name: lower-case letters, digits and '_', so it needs no quoting.</summary>
    public string Name { get; } = name;

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Name} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
