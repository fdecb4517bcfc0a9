using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;
using Npgsql;
using Wolverine;

namespace KarabakhLedger.Stores;

/// <summary>
/// Where one ledger lives, with the stores that belong to it: a SQLite file, with its projections and messages in
/// files beside it, or a PostgreSQL database and schema, with its projections and messages in sibling schemas.
/// The CLI and the service both turn their <c>--store</c> or <c>Ledger:Store</c> text into a location with
/// <see cref="Parse"/>, and open every store through it; neither looks at which adapter is behind it.
/// </summary>
public abstract record LedgerLocation
{
    /// <summary>The PostgreSQL schema of a ledger whose connection string names no Search Path.</summary>
    public const string DefaultSchema = "ledger";

    private protected LedgerLocation()
    {
    }

    /// <summary>What the location is, in one line a user can read; never a password.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The location <paramref name="text"/> names. A <c>postgresql://user:password@host:port/database</c> URI, or a
    /// connection string with a host (<c>Host=…;Database=…</c>), is a PostgreSQL ledger in <paramref name="schema"/>,
    /// else in the first schema of its <c>Search Path</c>, else in <see cref="DefaultSchema"/>. Anything else is a
    /// SQLite file path.
    /// </summary>
    /// <param name="field">What the text is called where the user typed it (<c>--store</c>, <c>Ledger:Store</c>), for errors.</param>
    /// <exception cref="LedgerValidationException">the text is empty, or a URI or schema cannot be used; names <paramref name="field"/>.</exception>
    public static LedgerLocation Parse(string? text, string field, string? schema = null)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new LedgerValidationException(field, "must be a SQLite file path or a PostgreSQL connection string");
        }

        if (ConnectionString(trimmed, field) is not { } builder)
        {
            return new SqliteLedgerLocation(Path.GetFullPath(trimmed));
        }

        var chosen = schema is { Length: > 0 } ? schema
            : builder.SearchPath?.Split(',')[0].Trim() is { Length: > 0 } path ? path
            : DefaultSchema;
        return SchemaNames.IsUsable(chosen)
            ? new PostgresLedgerLocation(builder.ConnectionString, chosen)
            : throw new LedgerValidationException(field, $"schema '{chosen}' is not usable: {SchemaNames.Rule}");
    }

    /// <summary>
    /// This location as text settings: <c>Store</c>, and <c>StoreSchema</c> where it has a schema. <see cref="Parse"/>
    /// of the two gives it back; <c>ledger serve</c> hands them to the service this way.
    /// </summary>
    public abstract IReadOnlyDictionary<string, string> AsSettings();

    /// <summary>Opens (and if needed creates) the ledger.</summary>
    /// <exception cref="LedgerStoreUnavailableException">it cannot be opened; the message says why in one line.</exception>
    public abstract Task<ILedgerStore> OpenLedgerAsync(TimeProvider clock, CancellationToken cancellationToken = default);

    /// <summary>Opens (and if needed creates) the projections' state; <paramref name="schema"/> overrides the PostgreSQL default.</summary>
    /// <exception cref="LedgerStoreUnavailableException">it cannot be opened; the message says why in one line.</exception>
    public abstract Task<ISnapshotStore> OpenProjectionsAsync(TimeProvider clock, string? schema = null, CancellationToken cancellationToken = default);

    /// <summary>Makes Wolverine keep its messages beside the ledger; <paramref name="schema"/> overrides the PostgreSQL default.</summary>
    public abstract void PersistMessages(WolverineOptions options, string? schema = null);

    /// <summary>Opens the ledger and its projections' state together.</summary>
    public async Task<LedgerStores> OpenAsync(TimeProvider clock, string? projectionSchema = null, CancellationToken cancellationToken = default)
    {
        var ledger = await OpenLedgerAsync(clock, cancellationToken);
        try
        {
            return new LedgerStores(this, ledger, await OpenProjectionsAsync(clock, projectionSchema, cancellationToken));
        }
        catch
        {
            await ledger.DisposeAsync();
            throw;
        }
    }

    public sealed override string ToString() => Description;

    private static NpgsqlConnectionStringBuilder? ConnectionString(string text, string field)
    {
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUri(text, field);
        }

        if (!text.Contains('=', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            return string.IsNullOrEmpty(builder.Host) ? null : builder;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text, string field)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new LedgerValidationException(field, "a postgresql:// URI needs a host, e.g. postgresql://user:password@localhost:5432/ledger");
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

        return builder;
    }
}
