using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using Npgsql;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>
/// Opens the store a <c>--store</c> value names: a PostgreSQL connection string (<c>Host=…;Database=…</c>, or a
/// <c>postgresql://user:password@host:port/database</c> URI) opens the Marten ledger in the schema its
/// <c>Search Path</c> names, else <c>ledger</c>; anything else is a SQLite file path.
/// </summary>
public static class StoreFactory
{
    public const string DefaultSchema = "ledger";

    public static async Task<ILedgerStore> OpenAsync(string location, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ToConnectionString(location) is not { } connectionString)
        {
            return await SqliteLedgerStore.OpenAsync(location, clock, cancellationToken);
        }

        var schema = new NpgsqlConnectionStringBuilder(connectionString).SearchPath?.Split(',')[0].Trim() is { Length: > 0 } path ? path : DefaultSchema;
        return await MartenLedgerStore.OpenAsync(connectionString, clock, schema, cancellationToken);
    }

    /// <summary>The Npgsql connection string <paramref name="location"/> means, or null when it is a file path.</summary>
    public static string? ToConnectionString(string location)
    {
        var text = location.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw new UserInputException("--store: a postgresql:// URI needs a host, e.g. postgresql://user:password@localhost:5432/ledger");
            }

            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
            };
            var userInfo = uri.UserInfo.Split(':', 2);
            if (userInfo[0].Length > 0)
            {
                builder.Username = Uri.UnescapeDataString(userInfo[0]);
            }

            if (userInfo.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[1]);
            }

            return builder.ConnectionString;
        }

        return text.Contains("host=", StringComparison.OrdinalIgnoreCase) && text.Contains('=', StringComparison.Ordinal) && text.Contains(';', StringComparison.Ordinal)
            || text.StartsWith("host=", StringComparison.OrdinalIgnoreCase)
            ? text
            : null;
    }
}
