using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Stores;
using KarabakhLedger.Testing;
using Npgsql;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// A real <c>ledger copy</c> process killed with SIGKILL once the target holds some of the source: the target must
/// not verify, and <c>--resume</c> must finish it into an exact copy (every event, and the source's Merkle root).
/// </summary>
public sealed class CopyResumeTests : IAsyncLifetime
{
    private const int Batches = 5;
    private const int ActsPerBatch = 3000;
    private const int EventsPerAct = SyntheticTalks.EventsPerAct;
    private const int CopyBatch = 100;

    private readonly CliRunner _cli = new();
    private ScratchSchema? _schema;

    public async Task InitializeAsync()
    {
        for (var b = 0; b < Batches; b++)
        {
            var recorded = await _cli.RunWithInput(SyntheticTalks.Json(ActsPerBatch, b), "record");
            Assert.Equal(0, recorded.ExitCode);
        }
    }

    public async Task DisposeAsync()
    {
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_copy_to_SQLite_killed_midway_is_reported_incomplete_and_resumes_to_an_exact_copy()
    {
        var target = CliRunner.NewPath(".db");

        await KillResumeAndCompare(target, () => SqliteFiles.CountEventsAsync(target));
    }

    [Fact]
    public async Task A_copy_to_PostgreSQL_killed_midway_is_reported_incomplete_and_resumes_to_an_exact_copy()
    {
        _schema = (await PostgresServer.GetAsync()).NewSchema();
        var schema = _schema;

        await KillResumeAndCompare($"{schema.ConnectionString};Search Path={schema.Name}", () => CountPostgres(schema));
    }

    [Fact]
    public async Task Resuming_from_a_ledger_the_target_is_no_copy_of_is_refused_and_writes_nothing()
    {
        var other = CliRunner.NewPath(".db");
        Assert.Equal(0, (await _cli.RunWithInput(SyntheticTalks.Json(ActsPerBatch, Batches), "record", "--store", other)).ExitCode);
        var target = CliRunner.NewPath(".db");
        await using (var from = await LedgerLocation.Parse(other, "store").OpenLedgerAsync(TimeProvider.System))
        await using (var into = await LedgerLocation.Parse(target, "store").OpenLedgerAsync(TimeProvider.System))
        {
            await into.SetCopyInProgressAsync(new CopyInProgress(from.Description, DateTimeOffset.UnixEpoch));
            await into.ImportAsync(await from.ReadAllAsync().Take(CopyBatch).ToListAsync());
        }

        var resumed = await _cli.Run("copy", "--from", _cli.StorePath, "--to", target, "--resume");

        Assert.Equal(ExitCodes.InvalidInput, resumed.ExitCode);
        Assert.Contains($"the {CopyBatch} events", resumed.Error);
        Assert.Contains("copy of another ledger", resumed.Error);
        Assert.Equal(CopyBatch, await SqliteFiles.CountEventsAsync(target));
        Assert.Equal(ExitCodes.VerificationFailed, (await _cli.Run("verify", "--store", target)).ExitCode);
    }

    private async Task KillResumeAndCompare(string target, Func<Task<long>> countTarget)
    {
        const long total = Batches * ActsPerBatch * EventsPerAct;
        using (var copy = LedgerProcess.Start("copy", "--from", _cli.StorePath, "--to", target, "--batch", $"{CopyBatch}"))
        {
            while (await countTarget() == 0)
            {
                if (copy.Process.HasExited)
                {
                    Assert.Fail($"the copy ended before the target held any event: {(await copy.ExitAsync()).Error}");
                }
                await Task.Delay(1);
            }

            await copy.KillAsync();
        }

        var held = await countTarget();
        Assert.InRange(held, 1, total - 1);
        Assert.Equal(0, held % CopyBatch);

        var verify = await _cli.Run("verify", "--store", target);
        Assert.Equal(ExitCodes.VerificationFailed, verify.ExitCode);
        Assert.Contains("incomplete copy", verify.Error);
        Assert.Contains($"holds the first {held} events", verify.Error);

        var fresh = await _cli.Run("copy", "--from", _cli.StorePath, "--to", target);
        Assert.Equal(ExitCodes.InvalidInput, fresh.ExitCode);
        Assert.Contains("unfinished copy", fresh.Error);
        Assert.Contains("--resume", fresh.Error);

        var resumed = await _cli.Run("copy", "--from", _cli.StorePath, "--to", target, "--resume", "--batch", "0");
        Assert.Equal(ExitCodes.InvalidInput, resumed.ExitCode);
        Assert.Contains("--batch: must be from 1", resumed.Error);
        resumed = await _cli.Run("copy", "--from", _cli.StorePath, "--to", target, "--resume");
        Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
        Assert.Contains($"Copied {total - held} events", resumed.Out);
        Assert.Contains($"resumed after the {held}", resumed.Out);

        await using (var source = await LedgerLocation.Parse(_cli.StorePath, "store").OpenLedgerAsync(TimeProvider.System))
        await using (var copied = await LedgerLocation.Parse(target, "store").OpenLedgerAsync(TimeProvider.System))
        {
            Assert.Equal(await Identities(source), await Identities(copied));
            var (sourceHead, targetHead) = (await MerkleLog.HeadAsync(source.Log), await MerkleLog.HeadAsync(copied.Log));
            Assert.Equal((total, sourceHead.RootHex), (targetHead.Size, targetHead.RootHex));
            Assert.Null(await copied.GetCopyInProgressAsync());
        }

        Assert.Equal(ExitCodes.Ok, (await _cli.Run("verify", "--store", target)).ExitCode);
        var again = await _cli.Run("copy", "--from", _cli.StorePath, "--to", target, "--resume");
        Assert.Equal(ExitCodes.InvalidInput, again.ExitCode);
        Assert.Contains("no unfinished copy", again.Error);
    }

    /// <summary>Everything of each event but its position, which is the target store's own, in global order.</summary>
    private static async Task<List<string>> Identities(ILedgerStore store) =>
        await store.ReadAllAsync()
            .Select(e => $"{e.StreamId} {e.StreamVersion} {e.EventId} {e.Type} {e.SchemaVersion} {e.RecordedAt:O} {e.PreviousHash} {e.Hash} {e.Data}")
            .ToListAsync();

    private static async Task<long> CountPostgres(ScratchSchema schema)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT COALESCE(to_regclass('{schema.Name}.mt_events') IS NOT NULL, false)", connection);
        if (!(bool)(await command.ExecuteScalarAsync())!)
        {
            return 0;
        }

        command.CommandText = $"SELECT COUNT(*) FROM {schema.Name}.mt_events WHERE type = 'ledger_event'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
