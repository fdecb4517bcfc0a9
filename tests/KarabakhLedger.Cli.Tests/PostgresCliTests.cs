using System.Text.Json;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Cli.Tests;

/// <summary>The CLI on a real PostgreSQL: the connection string's Search Path names a schema of the test's own.</summary>
public sealed class PostgresCliTests : IAsyncLifetime
{
    private ScratchSchema _schema = null!;

    private string Store => $"{_schema.ConnectionString};Search Path={_schema.Name}";

    public async Task InitializeAsync() => _schema = (await PostgresServer.GetAsync()).NewSchema();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    private static IEnumerable<(string, long, string, string)> Identity(CliResult export) =>
        export.Lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("eventId").GetString()!, e.GetProperty("streamVersion").GetInt64(), e.GetProperty("recordedAt").GetString()!, e.GetProperty("hash").GetString()!));

    [Fact]
    public async Task Seed_export_and_verify_work_on_PostgreSQL_and_hash_as_on_SQLite()
    {
        var cli = new CliRunner();

        var seed = await cli.Run("seed", "--store", Store);
        var again = await cli.Run("seed", "--store", Store);
        var onSqlite = await cli.Run("seed");
        var verify = await cli.Run("verify", "--store", Store);
        var export = await cli.Run("export", "--store", Store);

        Assert.Equal(0, seed.ExitCode);
        Assert.Contains("PostgreSQL ledger", seed.Out);
        Assert.Contains("0 events appended", again.Out);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(Identity(await cli.Run("export")).OrderBy(e => e.Item1), Identity(export).OrderBy(e => e.Item1));
        Assert.Equal(0, onSqlite.ExitCode);
    }

    [Fact]
    public async Task Copy_moves_a_SQLite_ledger_to_PostgreSQL_keeping_ids_versions_order_and_hashes()
    {
        var cli = new CliRunner();
        await cli.Run("seed");
        cli.Clock.Advance(TimeSpan.FromDays(1));
        await cli.RunWithInput("""
            { "type": "visit", "cameoCode": "042", "initiator": "TUR", "target": "AZE", "occurredOn": "2022-10",
              "theatre": "south-caucasus", "summary": "A visit.", "sources": [ { "outlet": "o", "title": "t", "document": "d", "passage": "p" } ] }
            """, "record");

        var copy = await cli.Run("copy", "--from", cli.StorePath, "--to", Store);
        var again = await cli.Run("copy", "--from", cli.StorePath, "--to", Store);
        var source = await cli.Run("export");
        var target = await cli.Run("export", "--store", Store);

        Assert.Equal(0, copy.ExitCode);
        var seeded = SeedCorpus.Load().OfType<InteractionRecording>().Sum(r => r.Events.Count);
        Assert.Contains($"Verified: {seeded + 1} events", copy.Out);
        Assert.Equal(Identity(source), Identity(target));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds events", again.Error);
    }

    [Fact]
    public async Task Queries_read_the_persisted_projections_on_PostgreSQL_and_equal_the_silo_answers()
    {
        var cli = new CliRunner();
        var projections = new ScratchSchema(_schema.ConnectionString, $"{_schema.Name}_projections");
        await using var _ = projections;
        Assert.Equal(0, (await cli.Run("seed", "--store", Store)).ExitCode);
        string[][] queries =
        [
            ["score", "TUR-UKR", "--json", "--as-of", "2023", "--store", Store],
            ["explain", "ARM-AZE", "--json", "--known-at", "2026-11-24", "--store", Store],
            ["timeline", "TUR-RUS", "--from", "2015", "--to", "2022", "--store", Store],
        ];

        var built = await cli.Run(queries[0]);
        Assert.Contains("Catching up the projections in a silo first: none are stored yet.", built.Error);
        foreach (var query in queries)
        {
            var persisted = await cli.Run(query);
            await projections.DisposeAsync();
            var silo = await cli.Run(query);

            Assert.True(persisted.ExitCode == 0, persisted.Error);
            Assert.Equal("", persisted.Error);
            Assert.Contains("Catching up the projections in a silo first: none are stored yet.", silo.Error);
            Assert.Equal(silo.Out, persisted.Out);
        }
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_without_the_password()
    {
        var result = await new CliRunner().Run("events", "--store", "Host=127.0.0.1;Port=1;Database=ledger;Username=analyst;Password=s3cret");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: Cannot reach PostgreSQL at 127.0.0.1:1: connection refused", result.Error.Trim());
    }
}
