using System.Net;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Auditing;

public sealed class CheckpointEndpointTests
{
    [Fact]
    public async Task A_node_with_a_signing_key_serves_a_checkpoint_of_its_log_signed_by_that_key()
    {
        var keys = TestFolders.Create("karabakh-service-keys-").FullName;
        var (privatePath, publicPath, _) = LedgerSigningKey.CreateFiles(keys);
        await using var node = await ServiceNode.StartAsync(
            Path.Combine(keys, "ledger.db"),
            [new("Ledger:Checkpoints:SigningKey", privatePath)]);
        var auditor = node.As(LedgerRoles.Auditor);

        HttpResponseMessage response;
        var tries = 0;
        do
        {
            response = await auditor.GetAsync(new Uri("/api/checkpoints/latest", UriKind.Relative));
            tries++;
        }
        while (response.StatusCode == HttpStatusCode.NotFound && tries < 100 && await Task.Delay(100).ContinueWith(_ => true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checkpoint = Checkpoint.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(checkpoint.IsSignedBy(LedgerVerifyingKey.Load(publicPath)));
        var head = await MerkleLog.HeadAsync(node.Services.GetRequiredService<ILedgerStore>().Log);
        Assert.Equal((head.Size, head.RootHex), (checkpoint.Size, checkpoint.Root));
    }

    [Fact]
    public async Task A_node_without_a_signing_key_answers_404_naming_the_setting()
    {
        var folder = TestFolders.Create("karabakh-service-nokey-").FullName;
        await using var node = await ServiceNode.StartAsync(Path.Combine(folder, "ledger.db"));

        var response = await node.As(LedgerRoles.Auditor).GetAsync(new Uri("/api/checkpoints/latest", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Ledger:Checkpoints:SigningKey", await response.Content.ReadAsStringAsync());
    }
}
