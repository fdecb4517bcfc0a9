using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;

namespace KarabakhLedger.Testing;

/// <summary>
/// The PostgreSQL server that integration tests use: the one named by the <see cref="EnvironmentVariable"/>
/// connection string, or else, when Docker answers, a throwaway container started with Testcontainers. One server
/// serves the whole test process; tests keep apart by working in schemas of their own (<see cref="NewSchema"/>).
/// </summary>
public sealed class PostgresServer
{
    /// <summary>The environment variable that holds the Npgsql connection string of a server to test against.</summary>
    public const string EnvironmentVariable = "LEDGER_TEST_POSTGRES";

    /// <summary>What a test run says when it has no server to use.</summary>
    public const string NoServerMessage =
        $"Set {EnvironmentVariable} to a PostgreSQL connection string (deploy/postgres.sh start prints one), or start Docker so Testcontainers can run one.";

    private const string ContainerImage = "postgres:15-alpine";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(FindOrStartAsync);

    private PostgresServer(string connectionString, string origin)
    {
        ConnectionString = connectionString;
        Origin = origin;
    }

    /// <summary>The Npgsql connection string of the server.</summary>
    public string ConnectionString { get; }

    /// <summary>Where the server comes from: the environment variable, or a Testcontainers container.</summary>
    public string Origin { get; }

    /// <summary>
    /// The server of this test process, found or started on first use. Without the environment variable and without
    /// Docker it fails, every time it is asked, with <see cref="NoServerMessage"/>.
    /// </summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>A schema name no other test uses, <c>t_</c> and a fresh GUID; dropped when the result is disposed.</summary>
    public ScratchSchema NewSchema() => new(ConnectionString, $"t_{Guid.NewGuid():N}");

    private static async Task<PostgresServer> FindOrStartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(configured, $"${EnvironmentVariable}");
        }

        PostgreSqlContainer container;
        try
        {
            container = new PostgreSqlBuilder(ContainerImage).Build();
            await container.StartAsync();
        }
        catch (DockerUnavailableException e)
        {
            throw new InvalidOperationException(NoServerMessage, e);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new PostgresServer(container.GetConnectionString(), $"Testcontainers ({ContainerImage})");
    }
}
