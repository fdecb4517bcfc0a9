using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Auditing;

public sealed class ProofEndpointTests
{
    [Fact(Timeout = 60_000)]
    public async Task An_events_proof_leads_from_its_leaf_to_the_root_of_the_size_asked_for_and_bad_sizes_are_named()
    {
        var folder = TestFolders.Create("karabakh-service-proof-").FullName;
        await using var node = await ServiceNode.StartAsync(Path.Combine(folder, "ledger.db"));
        var admin = node.As(LedgerRoles.Admin);
        var auditor = node.As(LedgerRoles.Auditor);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var answer = await admin.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("ISR", "IRN")));
            ids.Add((await answer.ReadJsonAsync()).GetProperty("events")[0].GetProperty("eventId").GetGuid());
        }

        var store = node.Services.GetRequiredService<ILedgerStore>();
        var size = await store.Log.GetSizeAsync();
        var stored = (await store.FindEventAsync(ids[2]))!;
        var leafIndex = (await store.Log.FindLeafAsync(stored.Position))!.Index;

        foreach (var asked in new[] { leafIndex + 1, size })
        {
            var proof = await auditor.GetFromJsonAsync<JsonElement>($"/api/events/{ids[2]}/proof?size={asked}");
            var root = await MerkleLog.RootAsync(store.Log, asked);
            var path = proof.GetProperty("path").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList();
            Assert.Equal(leafIndex, proof.GetProperty("leafIndex").GetInt64());
            Assert.Equal(asked, proof.GetProperty("treeSize").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(LedgerLeaf.Of(stored).Hash()), proof.GetProperty("leafHash").GetString());
            Assert.Equal(Convert.ToHexStringLower(root), proof.GetProperty("root").GetString());
            Assert.True(MerkleProofs.VerifyInclusion(leafIndex, asked, LedgerLeaf.Of(stored).Hash(), path, root));
        }

        var whole = await auditor.GetFromJsonAsync<JsonElement>($"/api/events/{ids[2]}/proof");
        Assert.Equal(size, whole.GetProperty("treeSize").GetInt64());

        foreach (var bad in new[] { "0", "-1", "x", (size + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), leafIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            using var refused = await auditor.GetAsync($"/api/events/{ids[2]}/proof?size={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("size", out _), $"size={bad}");
        }

        using var missing = await auditor.GetAsync($"/api/events/{Guid.NewGuid()}/proof");
        using var malformed = await auditor.GetAsync("/api/events/not-an-id/proof");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
