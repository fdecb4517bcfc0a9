using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Testing;
using Npgsql;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// <c>ledger import</c> on PostgreSQL, where batches go by COPY into Marten's tables (docs/adr/0020): the ledger verifies
/// by its chains and by a signed checkpoint, a second import appends nothing, and Marten's stream versions are the
/// ledger's.
/// </summary>
public sealed class PostgresImportTests : IAsyncLifetime
{
    private ScratchSchema _schema = null!;

    private string Store => $"{_schema.ConnectionString};Search Path={_schema.Name}";

    public async Task InitializeAsync() => _schema = (await PostgresServer.GetAsync()).NewSchema();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task An_import_by_COPY_verifies_with_a_checkpoint_and_a_second_import_appends_nothing()
    {
        const int rows = 3_000;
        var file = ImportCrashTests.BigFile(rows, firstId: 900_000_000);
        var cli = new CliRunner();
        var keys = CliRunner.NewPath("");
        Assert.Equal(0, (await cli.Run("key", "create", "--out", keys)).ExitCode);
        cli.Environment["LEDGER_SIGNING_KEY"] = Path.Combine(keys, "ledger-signing.key");
        var checkpoint = CliRunner.NewPath(Checkpoint.FileExtension);

        var first = await cli.Run("import", "--format", "gdelt2", file, "--store", Store);
        var signed = await cli.Run("checkpoint", "-o", checkpoint, "--store", Store);
        var again = await cli.Run("import", "--format", "gdelt2", file, "--store", Store);
        var verify = await cli.Run("verify", "--checkpoint", checkpoint, "--key", Path.Combine(keys, "ledger-signing.pub"), "--store", Store);
        var exported = (await cli.Run("export", "--provenance", "gdelt2", "--format", "csv", "--store", Store)).Lines.Length - 1;

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith($"{rows} rows: {rows} imported, 0 already there, 0 rejected", first.Out);
        Assert.Equal(0, signed.ExitCode);
        Assert.StartsWith($"{rows} rows: 0 imported, {rows} already there, 0 rejected", again.Out);
        Assert.True(verify.ExitCode == 0, verify.Out + verify.Error);
        Assert.Equal(rows, exported);
        Assert.Equal(0L, await Scalar(
            $"SELECT count(*) FROM {_schema.Name}.mt_streams s WHERE s.version IS DISTINCT FROM (SELECT max(version) FROM {_schema.Name}.mt_events e WHERE e.stream_id = s.id)"));
        Assert.Equal(rows, await Scalar($"SELECT count(*) FROM {_schema.Name}.ledger_log_leaves"));
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
