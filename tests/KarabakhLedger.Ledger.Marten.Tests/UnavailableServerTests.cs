using System.Net;
using System.Net.Sockets;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;
using Npgsql;

namespace KarabakhLedger.Ledger.Marten.Tests;

/// <summary>A server that cannot be used is reported in one line that names it and never shows the password.</summary>
public sealed class UnavailableServerTests
{
    private const string Password = "s3cret-Pa55word";

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_unreachable()
    {
        var port = UnusedPort();

        var failure = await Assert.ThrowsAsync<LedgerStoreUnavailableException>(
            () => MartenLedgerStore.OpenAsync($"Host=127.0.0.1;Port={port};Database=ledger;Username=ledger_user;Password={Password};Timeout=5", TimeProvider.System));

        Assert.Equal($"Cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused", failure.Message);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_a_refused_login_without_the_password()
    {
        await using var server = new RefusingPostgres();

        var failure = await Assert.ThrowsAsync<LedgerStoreUnavailableException>(
            () => MartenLedgerStore.OpenAsync($"Host=127.0.0.1;Port={server.Port};Database=ledger;Username=ledger_user;Password={Password};Timeout=5", TimeProvider.System));

        Assert.Equal($"PostgreSQL at 127.0.0.1:{server.Port} refused the login for user 'ledger_user': wrong password", failure.Message);
    }

    [Fact]
    public async Task A_database_the_server_does_not_have_is_named()
    {
        var target = new NpgsqlConnectionStringBuilder((await PostgresServer.GetAsync()).ConnectionString)
        {
            Database = "no_such_ledger",
            Password = Password,
        };

        var failure = await Assert.ThrowsAsync<LedgerStoreUnavailableException>(
            () => MartenLedgerStore.OpenAsync(target.ConnectionString, TimeProvider.System));

        Assert.Equal($"PostgreSQL at {target.Host}:{target.Port} has no database 'no_such_ledger'", failure.Message);
        Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_description_names_server_database_and_schema_but_not_the_password()
    {
        var server = await PostgresServer.GetAsync();
        await using var schema = server.NewSchema();
        var target = new NpgsqlConnectionStringBuilder(schema.ConnectionString);
        if (string.IsNullOrEmpty(target.Password))
        {
            target.Password = Password;
        }

        await using var store = await MartenLedgerStore.OpenAsync(target.ConnectionString, TimeProvider.System, schema.Name);

        Assert.Equal($"PostgreSQL ledger at {target.Host}:{target.Port}/{target.Database} (schema {schema.Name})", store.Description);
        Assert.DoesNotContain(target.Password, store.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_name_that_would_need_quoting_is_refused()
    {
        var server = await PostgresServer.GetAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => MartenLedgerStore.OpenAsync(server.ConnectionString, TimeProvider.System, "Ledger; DROP"));
    }

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
