using KarabakhLedger.Testing;
using Npgsql;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>One service node shared by the tests of a class; each test works on dyads of its own.</summary>
public abstract class NodeFixture : IAsyncLifetime
{
    private ServiceNode? _node;

    public ServiceNode Node => _node ?? throw new InvalidOperationException("The node has not started.");

    /// <summary>Which store the node runs on, for test names and messages.</summary>
    public abstract string StoreKind { get; }

    public async Task InitializeAsync() => _node = await ServiceNode.StartAsync(await CreateStoreAsync(), Settings());

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        await DropStoreAsync();
    }

    protected abstract Task<string> CreateStoreAsync();

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    protected abstract Task DropStoreAsync();
}

/// <summary>A node on a fresh embedded SQLite ledger in a temp folder, signing checkpoints with a key of its own.</summary>
public sealed class SqliteNodeFixture : NodeFixture
{
    private DirectoryInfo? _folder;
    private string? _signingKey;

    public override string StoreKind => "sqlite";

    protected override Task<string> CreateStoreAsync()
    {
        _folder = TestFolders.Create("ledger-service-");
        _signingKey = KarabakhLedger.Ledger.Checkpoints.LedgerSigningKey.CreateFiles(Path.Combine(_folder.FullName, "keys")).PrivatePath;
        return Task.FromResult(Path.Combine(_folder.FullName, "ledger.db"));
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Ledger:Checkpoints:SigningKey", _signingKey)];

    protected override Task DropStoreAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder?.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A node on the test PostgreSQL server (<see cref="PostgresServer"/>), in schemas of its own, dropped afterwards.</summary>
public sealed class PostgresNodeFixture : NodeFixture
{
    private readonly string _schema = $"t_{Guid.NewGuid():N}";
    private string? _connectionString;

    public override string StoreKind => "postgres";

    public static async Task DropSchemasAsync(string connectionString, string schema)
    {
        await new ScratchSchema(connectionString, schema).DisposeAsync();
        await new ScratchSchema(connectionString, $"{schema}_projections").DisposeAsync();
        await new ScratchSchema(connectionString, $"{schema}_messages").DisposeAsync();
    }

    protected override async Task<string> CreateStoreAsync()
    {
        _connectionString = (await PostgresServer.GetAsync()).ConnectionString;
        return _connectionString;
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Ledger:StoreSchema", _schema)];

    protected override async Task DropStoreAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_connectionString is not null)
        {
            await DropSchemasAsync(_connectionString, _schema);
        }
    }
}
