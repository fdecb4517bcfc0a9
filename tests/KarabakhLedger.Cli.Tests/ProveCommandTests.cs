using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Sqlite;
using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Cli.Tests;

public sealed class ProveCommandTests
{
    private const string Later = """
        {
          "type": "arms-sold", "cameoCode": "062", "initiator": "TUR", "target": "UKR", "occurredOn": "2019-01",
          "theatre": "black-sea-ukraine", "summary": "Ukraine buys Bayraktar TB2 drones.",
          "sources": [ { "outlet": "Example", "title": "Drone deal", "url": "https://example.org/tb2", "accessed": "2022-09-20" } ]
        }
        """;

    [Fact]
    public async Task Prove_prints_the_leaf_and_path_and_verifies_them_against_the_checkpoint_and_its_signature()
    {
        var (cli, keys, checkpoint) = await SeededWithCheckpoint();
        var (id, index) = await SomeEvent(cli, 40);

        var signed = await cli.Run("prove", id.ToString(), "--checkpoint", checkpoint, "--key", Path.Combine(keys, "ledger-signing.pub"));
        var unsigned = await cli.Run("prove", id.ToString(), "--checkpoint", checkpoint);

        Assert.True(signed.ExitCode == 0, signed.Out + signed.Error);
        var size = Checkpoint.Load(checkpoint).Size;
        Assert.Contains($"leaf index {index} of {size}", signed.Out, StringComparison.Ordinal);
        Assert.Contains("ok: the path leads from the leaf to the checkpoint's root", signed.Out, StringComparison.Ordinal);
        Assert.Contains("ok: the checkpoint is signed by key", signed.Out, StringComparison.Ordinal);
        Assert.Equal(0, unsigned.ExitCode);
        Assert.Contains("not checked: the checkpoint's signature", unsigned.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_fails_with_exit_3_for_an_altered_event_a_foreign_checkpoint_or_a_wrong_key()
    {
        var (cli, keys, checkpoint) = await SeededWithCheckpoint();
        var (_, otherKeys, foreign) = await SeededWithCheckpoint(TimeSpan.FromMinutes(1));
        var (id, _) = await SomeEvent(cli, 40);

        var wrongKey = await cli.Run("prove", id.ToString(), "--checkpoint", checkpoint, "--key", Path.Combine(otherKeys, "ledger-signing.pub"));
        var foreignCheckpoint = await cli.Run("prove", id.ToString(), "--checkpoint", foreign);
        await Alter(cli.StorePath, id);
        var altered = await cli.Run("prove", id.ToString(), "--checkpoint", checkpoint);

        Assert.Equal(3, wrongKey.ExitCode);
        Assert.Contains("FAILED: the checkpoint is signed by key", wrongKey.Out, StringComparison.Ordinal);
        Assert.Equal(3, foreignCheckpoint.ExitCode);
        Assert.Contains("FAILED: the path leads from the leaf to the checkpoint's root", foreignCheckpoint.Out, StringComparison.Ordinal);
        Assert.Equal(3, altered.ExitCode);
        Assert.Contains("FAILED: the stored event hashes to its chain hash", altered.Out, StringComparison.Ordinal);
        Assert.Contains("error: the proof does not hold", altered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_of_an_event_recorded_after_the_checkpoint_fails_with_exit_3_and_one_line()
    {
        var (cli, keys, checkpoint) = await SeededWithCheckpoint();
        var size = Checkpoint.Load(checkpoint).Size;
        cli.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await cli.RunWithInput(Later, "record")).ExitCode);
        var (later, index) = await SomeEvent(cli, (int)size);
        var (earlier, _) = await SomeEvent(cli, (int)size - 1);

        var result = await cli.Run("prove", later.ToString(), "--checkpoint", checkpoint, "--key", Path.Combine(keys, "ledger-signing.pub"));
        var stillProvable = await cli.Run("prove", earlier.ToString(), "--checkpoint", checkpoint);

        Assert.Equal(size, index);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            $"error: not provable against this checkpoint: event {later:D} is leaf {size}, recorded after the first {size} leaves; use a later checkpoint",
            result.Error.Trim());
        Assert.Equal("", result.Out);
        Assert.True(stillProvable.ExitCode == 0, stillProvable.Error);
    }

    [Fact]
    public async Task Prove_names_the_argument_for_an_unknown_or_malformed_event_id_or_checkpoint()
    {
        var (cli, _, checkpoint) = await SeededWithCheckpoint();

        var unknown = await cli.Run("prove", Guid.NewGuid().ToString(), "--checkpoint", checkpoint);
        var malformed = await cli.Run("prove", "not-a-guid", "--checkpoint", checkpoint);
        var noCheckpoint = await cli.Run("prove", Guid.NewGuid().ToString(), "--checkpoint", CliRunner.NewPath(".checkpoint"));

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("is in the ledger", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(1, malformed.ExitCode);
        Assert.StartsWith("error: event-id:", malformed.Error, StringComparison.Ordinal);
        Assert.Equal(1, noCheckpoint.ExitCode);
        Assert.StartsWith("error: --checkpoint:", noCheckpoint.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unknown.Error + malformed.Error + noCheckpoint.Error, StringComparison.Ordinal);
    }

    /// <summary>A seeded ledger (recorded <paramref name="later"/> than the clock's start, so that two ledgers differ), a key and a checkpoint.</summary>
    private static async Task<(CliRunner Cli, string Keys, string Checkpoint)> SeededWithCheckpoint(TimeSpan later = default)
    {
        var cli = new CliRunner();
        cli.Clock.Advance(later);
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var keys = Path.Combine(Path.GetDirectoryName(cli.StorePath)!, Guid.NewGuid().ToString("N"));
        Assert.Equal(0, (await cli.Run("key", "create", "--out", keys)).ExitCode);
        var checkpoint = CliRunner.NewPath(Checkpoint.FileExtension);
        Assert.Equal(0, (await cli.Run("checkpoint", "-o", checkpoint, "--key", Path.Combine(keys, "ledger-signing.key"))).ExitCode);
        return (cli, keys, checkpoint);
    }

    /// <summary>The event at leaf <paramref name="index"/> of the log.</summary>
    private static async Task<(Guid Id, long Index)> SomeEvent(CliRunner cli, int index)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(cli.StorePath, TimeProvider.System);
        var leaf = await store.Log.ReadLeavesAsync(index).FirstAsync();
        return (leaf.EventId, leaf.Index);
    }

    private static async Task Alter(string storePath, Guid id)
    {
        await using var connection = new SqliteConnection($"Data Source={storePath};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE ledger_events SET data = replace(data, '\"summary\":\"', '\"summary\":\"Not ') WHERE event_id = $id";
        command.Parameters.AddWithValue("$id", id.ToString("D"));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
