using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;
using Npgsql;

namespace KarabakhLedger.Stores.Tests;

/// <summary>
/// The one rule by which the CLI's <c>--store</c> and the service's <c>Ledger:Store</c> name a ledger, and the stores
/// a location opens beside it.
/// </summary>
public sealed class LedgerLocationTests
{
    [Theory]
    [InlineData("Host=db.example;Database=ledger;Username=u")]
    [InlineData("host=db.example;database=ledger")]
    [InlineData("Server=db.example;Database=ledger")]
    [InlineData("Host=db.example")]
    [InlineData("  Host=db.example;Database=ledger  ")]
    public void A_connection_string_with_a_host_is_a_postgres_ledger_in_the_default_schema(string text)
    {
        var location = Assert.IsType<PostgresLedgerLocation>(LedgerLocation.Parse(text, "--store"));

        Assert.Equal("db.example", new NpgsqlConnectionStringBuilder(location.ConnectionString).Host);
        Assert.Equal(LedgerLocation.DefaultSchema, location.Schema);
        Assert.Equal("ledger_projections", location.ProjectionSchema);
        Assert.Equal("ledger_messages", location.MessageSchema);
    }

    [Fact]
    public void A_postgresql_uri_becomes_its_connection_string()
    {
        var location = Assert.IsType<PostgresLedgerLocation>(LedgerLocation.Parse("postgresql://ann:s%3Acret@db.example:6543/events", "--store"));
        var builder = new NpgsqlConnectionStringBuilder(location.ConnectionString);

        Assert.Equal(("db.example", 6543, "events", "ann", "s:cret"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Fact]
    public void The_schema_is_the_one_given_else_the_first_of_the_search_path()
    {
        Assert.Equal("archive", Postgres(LedgerLocation.Parse("Host=h;Search Path=archive, public", "--store")).Schema);
        Assert.Equal("other", Postgres(LedgerLocation.Parse("Host=h;Search Path=archive", "Ledger:Store", schema: "other")).Schema);
    }

    [Theory]
    [InlineData("ledger.db")]
    [InlineData("./data/a=b.db")]
    [InlineData("/var/lib/ledger/host.db")]
    [InlineData("C=3")]
    public void Anything_else_is_a_sqlite_file_made_absolute(string text)
    {
        var location = Assert.IsType<SqliteLedgerLocation>(LedgerLocation.Parse(text, "--store"));

        Assert.Equal(Path.GetFullPath(text), location.Path);
        Assert.Equal(SqliteLedger(location, "projections"), location.ProjectionsPath);
        Assert.Equal(SqliteLedger(location, "messages"), location.MessagesPath);
    }

    [Theory]
    [InlineData("", "must be a SQLite file path or a PostgreSQL connection string")]
    [InlineData("   ", "must be a SQLite file path or a PostgreSQL connection string")]
    [InlineData("postgresql:///nohost", "a postgresql:// URI needs a host")]
    [InlineData("Host=h;Search Path=Bad-Schema", "schema 'Bad-Schema' is not usable")]
    public void An_unusable_location_is_refused_naming_the_field_and_the_rule(string text, string rule)
    {
        var refused = Assert.Throws<LedgerValidationException>(() => LedgerLocation.Parse(text, "LEDGER_STORE"));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("LEDGER_STORE", error.Field);
        Assert.StartsWith(rule, error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_given_by_the_service_is_checked_too()
    {
        var refused = Assert.Throws<LedgerValidationException>(() => LedgerLocation.Parse("Host=h", "Ledger:Store", schema: "1st"));

        Assert.Contains(SchemaNames.Rule, Assert.Single(refused.Errors).Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=h;Database=d;Search Path=archive")]
    [InlineData("postgresql://u:p@h/d")]
    [InlineData("ledger.db")]
    public void Its_settings_name_the_same_location_again(string text)
    {
        var location = LedgerLocation.Parse(text, "--store");
        var settings = location.AsSettings();

        Assert.Equal(location, LedgerLocation.Parse(settings["Store"], "Ledger:Store", settings.GetValueOrDefault("StoreSchema")));
    }

    [Fact]
    public void Its_description_never_shows_the_password()
    {
        var location = LedgerLocation.Parse("Host=db.example;Database=d;Username=u;Password=hunter2", "--store");

        Assert.DoesNotContain("hunter2", location.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", location.ToString(), StringComparison.Ordinal);
        Assert.Contains("db.example", location.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_object_refuses_what_parse_would_refuse()
    {
        Assert.Throws<ArgumentException>(() => new SqliteLedgerLocation("relative.db"));
        Assert.Throws<ArgumentException>(() => new PostgresLedgerLocation("Host=h", "Not-A-Schema"));
        Assert.Throws<ArgumentException>(() => new PostgresLedgerLocation("Database=d", "ledger"));
    }

    [Fact]
    public async Task A_sqlite_location_opens_its_ledger_and_its_projections_beside_it()
    {
        var folder = TestFolders.Create("ledger-location-");
        var location = LedgerLocation.Parse(Path.Combine(folder.FullName, "mine.db"), "--store");

        await using (var stores = await location.OpenAsync(TimeProvider.System))
        {
            Assert.Same(location, stores.Location);
            Assert.Equal(0, await stores.Ledger.Log.GetSizeAsync());
        }

        Assert.Equal(
            ["mine.db", "mine.projections.db"],
            folder.GetFiles("*.db").Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_postgres_location_opens_its_ledger_and_projections_in_their_schemas()
    {
        var server = await PostgresServer.GetAsync();
        await using var scratch = server.NewSchema();
        await using var projections = new ScratchSchema(server.ConnectionString, $"{scratch.Name}_projections");
        var location = LedgerLocation.Parse(server.ConnectionString, "--store", scratch.Name);

        await using (await location.OpenAsync(TimeProvider.System))
        {
        }

        Assert.Equal([scratch.Name, projections.Name], await SchemasAsync(server.ConnectionString, scratch.Name));
    }

    private static PostgresLedgerLocation Postgres(LedgerLocation location) => Assert.IsType<PostgresLedgerLocation>(location);

    private static string SqliteLedger(SqliteLedgerLocation location, string kind) =>
        Path.Combine(Path.GetDirectoryName(location.Path)!, $"{Path.GetFileNameWithoutExtension(location.Path)}.{kind}.db");

    private static async Task<List<string>> SchemasAsync(string connectionString, string prefix)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE $1 ORDER BY schema_name", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix + "%" });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
