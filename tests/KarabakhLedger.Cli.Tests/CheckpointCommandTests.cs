using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Sqlite;

namespace KarabakhLedger.Cli.Tests;

public sealed class CheckpointCommandTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Key_create_then_checkpoint_signs_the_ledgers_tree_head_at_the_clocks_time()
    {
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var keys = Path.Combine(Path.GetDirectoryName(CliRunner.NewPath(".x"))!, Guid.NewGuid().ToString("N"));

        var created = await cli.Run("key", "create", "--out", keys);
        var file = CliRunner.NewPath(Checkpoint.FileExtension);
        var signed = await cli.Run("checkpoint", "-o", file, "--key", Path.Combine(keys, "ledger-signing.key"));

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(0, signed.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, "ledger-signing.key")));
        var checkpoint = Checkpoint.Load(file);
        Assert.True(checkpoint.IsSignedBy(LedgerVerifyingKey.Load(Path.Combine(keys, "ledger-signing.pub"))));
        Assert.Equal(cli.Clock.GetUtcNow(), checkpoint.Time);
        await using var store = await SqliteLedgerStore.OpenAsync(cli.StorePath, TimeProvider.System);
        var head = await MerkleLog.HeadAsync(store.Log);
        Assert.Equal((head.Size, head.RootHex), (checkpoint.Size, checkpoint.Root));
        Assert.Equal(1, (await cli.Run("key", "create", "--out", keys)).ExitCode);
    }

    [Fact]
    public async Task Checkpoint_without_a_usable_key_names_the_option()
    {
        var cli = new CliRunner();

        var result = await cli.Run("checkpoint", "--key", CliRunner.NewPath(".key"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --key:", result.Error);
    }
}
