using System.Diagnostics;
using KarabakhLedger.Ledger.Checkpoints;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Cli.Tests;

/// <summary><c>ledger verify --checkpoint</c> and <c>--from/--to</c>, in-process and as a real process.</summary>
public sealed class VerifyCheckpointTests
{
    private const string Interaction = """
        { "type": "talks-held", "cameoCode": "046", "initiator": "ARM", "target": "AZE", "occurredOn": "2024-05",
          "theatre": "south-caucasus", "summary": "Talks after the first checkpoint.",
          "sources": [ { "outlet": "Example", "title": "Talks", "document": "none", "passage": "p" } ] }
        """;

    /// <summary>A seeded ledger, a key pair, and a checkpoint of the ledger signed with it.</summary>
    private static async Task<(CliRunner Cli, string Public, string Checkpoint)> SignedLedger()
    {
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var keys = CliRunner.NewPath("");
        Assert.Equal(0, (await cli.Run("key", "create", "--out", keys)).ExitCode);
        cli.Environment["LEDGER_SIGNING_KEY"] = Path.Combine(keys, "ledger-signing.key");
        var checkpoint = CliRunner.NewPath(Checkpoint.FileExtension);
        Assert.Equal(0, (await cli.Run("checkpoint", "-o", checkpoint)).ExitCode);
        return (cli, Path.Combine(keys, "ledger-signing.pub"), checkpoint);
    }

    private static async Task Sql(string store, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={store};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>Runs the built <c>ledger</c> as its own process and waits for it.</summary>
    private static async Task<CliResult> RunProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ledger.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task A_real_verify_process_names_a_deleted_last_event_and_a_malformed_row_and_exits_3_without_a_stack_trace()
    {
        var (cli, publicKey, checkpoint) = await SignedLedger();
        var intact = await RunProcess("verify", "--checkpoint", checkpoint, "--key", publicKey, "--store", cli.StorePath);
        const string LastOfStream = "SELECT MAX(position) FROM ledger_events WHERE stream_id = (SELECT stream_id FROM ledger_events ORDER BY position LIMIT 1)";
        await Sql(cli.StorePath, $"DELETE FROM ledger_events WHERE position = ({LastOfStream})");

        var deleted = await RunProcess("verify", "--checkpoint", checkpoint, "--key", publicKey, "--store", cli.StorePath);
        await Sql(cli.StorePath, "UPDATE ledger_events SET recorded_at = 'last tuesday' WHERE position = 2");
        var malformed = await RunProcess("verify", "--store", cli.StorePath);

        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("give the checkpoint's root", intact.Out);
        Assert.Equal(3, deleted.ExitCode);
        Assert.Matches(@"CHANGED \(missing\) at leaf \d+, position \d+, stream dyad-", deleted.Error);
        Assert.Equal(3, malformed.ExitCode);
        Assert.Contains("BROKEN: ", malformed.Error);
        Assert.Contains("position 2): the stored row is malformed: recorded_at 'last tuesday' is not a UTC time", malformed.Error);
        Assert.Contains("It cannot detect:", malformed.Out);
        foreach (var result in new[] { intact, deleted, malformed })
        {
            Assert.DoesNotContain("   at ", result.Error);
        }
    }

    [Fact]
    public async Task Verify_without_a_checkpoint_says_what_it_cannot_detect()
    {
        var cli = new CliRunner();
        await cli.Run("seed");

        var result = await cli.Run("verify");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("It cannot detect:", result.Out);
        Assert.Contains("a whole stream deleted", result.Out);
        Assert.Contains("ledger verify --checkpoint FILE", result.Out);
    }

    [Fact]
    public async Task From_and_to_prove_the_log_only_grew_and_refuse_a_reversed_pair_or_a_forged_checkpoint()
    {
        var (cli, _, first) = await SignedLedger();
        Assert.Equal(0, (await cli.RunWithInput(Interaction, "record")).ExitCode);
        var second = CliRunner.NewPath(Checkpoint.FileExtension);
        Assert.Equal(0, (await cli.Run("checkpoint", "-o", second)).ExitCode);
        var forged = CliRunner.NewPath(Checkpoint.FileExtension);
        var signed = Checkpoint.Load(second);
        await File.WriteAllTextAsync(forged, (signed with { Root = new string('a', 64) }).Format());

        var grown = await cli.Run("verify", "--from", first, "--to", second);
        var reversed = await cli.Run("verify", "--from", second, "--to", first);
        var forgery = await cli.Run("verify", "--from", first, "--to", forged);
        var half = await cli.Run("verify", "--from", first);

        Assert.Equal(0, grown.ExitCode);
        Assert.Contains("the log only grew", grown.Out);
        Assert.Equal(3, reversed.ExitCode);
        Assert.Contains("cannot shrink", reversed.Error);
        Assert.Equal(3, forgery.ExitCode);
        Assert.Contains("SIGNATURE (--to)", forgery.Error);
        Assert.Equal(1, half.ExitCode);
        Assert.StartsWith("error: --from: needs --to", half.Error);
    }

    [Fact]
    public async Task A_missing_or_malformed_checkpoint_file_or_key_names_the_option()
    {
        var (cli, publicKey, checkpoint) = await SignedLedger();
        var garbage = CliRunner.NewPath(Checkpoint.FileExtension);
        await File.WriteAllTextAsync(garbage, "karabakh-ledger checkpoint v1\nsize 01\n");

        var noFile = await cli.Run("verify", "--checkpoint", garbage + ".nope", "--key", publicKey);
        var badFile = await cli.Run("verify", "--checkpoint", garbage, "--key", publicKey);
        var badKey = await cli.Run("verify", "--checkpoint", checkpoint, "--key", checkpoint);

        Assert.Equal((1, 1, 1), (noFile.ExitCode, badFile.ExitCode, badKey.ExitCode));
        Assert.StartsWith("error: --checkpoint:", noFile.Error);
        Assert.Contains("is not a checkpoint: a checkpoint has 6 lines", badFile.Error);
        Assert.StartsWith("error: --key:", badKey.Error);
    }
}
