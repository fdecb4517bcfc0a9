using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Auditing;

/// <summary>POST /api/verify against a checkpoint, and GET /api/verify on a malformed row: the CLI's report as JSON, never a 500.</summary>
public sealed class VerifyEndpointTests
{
    [Fact(Timeout = 120_000)]
    public async Task Verify_against_a_checkpoint_holds_then_names_a_deleted_event_and_a_malformed_row_is_a_broken_link()
    {
        var folder = TestFolders.Create("karabakh-service-verify-").FullName;
        var (privatePath, publicPath, _) = LedgerSigningKey.CreateFiles(folder);
        var database = Path.Combine(folder, "ledger.db");
        await using var node = await ServiceNode.StartAsync(database, [new("Ledger:Checkpoints:SigningKey", privatePath)]);
        var analyst = node.As(LedgerRoles.Analyst);
        var auditor = node.As(LedgerRoles.Auditor);
        foreach (var (a, b) in new[] { ("ARM", "AZE"), ("GEO", "RUS"), ("ARM", "AZE") })
        {
            Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction(a, b)))).StatusCode);
        }

        Checkpoint checkpoint;
        using (var key = LedgerSigningKey.Load(privatePath))
        {
            checkpoint = Checkpoint.Sign(await MerkleLog.HeadAsync(node.Services.GetRequiredService<ILedgerStore>().Log), DateTimeOffset.UtcNow, key);
        }

        var withKey = new { checkpoint = checkpoint.Format(), publicKey = await File.ReadAllTextAsync(publicPath) };
        var held = await (await auditor.PostAsJsonAsync("/api/verify", withKey)).ReadJsonAsync();
        var heldWithNodesKey = await (await auditor.PostAsJsonAsync("/api/verify", new { checkpoint = checkpoint.Format() })).ReadJsonAsync();
        await Sql(database, "DELETE FROM ledger_events WHERE position = (SELECT MAX(position) FROM ledger_events)");
        using var deletedResponse = await auditor.PostAsJsonAsync("/api/verify", withKey);
        var deleted = await deletedResponse.ReadJsonAsync();
        await Sql(database, "UPDATE ledger_events SET data = 'not json' WHERE position = (SELECT MIN(position) FROM ledger_events)");
        using var malformedResponse = await auditor.GetAsync("/api/verify");
        var malformed = await malformedResponse.ReadJsonAsync();
        using var bad = await auditor.PostAsJsonAsync("/api/verify", new { checkpoint = "karabakh-ledger checkpoint v1\n", publicKey = "nope" });
        var refused = await bad.ReadJsonAsync();

        Assert.True(held.GetProperty("intact").GetBoolean(), held.ToString());
        Assert.True(held.GetProperty("checkpoint").GetProperty("signatureValid").GetBoolean());
        Assert.True(heldWithNodesKey.GetProperty("intact").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, deletedResponse.StatusCode);
        Assert.False(deleted.GetProperty("intact").GetBoolean());
        var change = deleted.GetProperty("checkpoint").GetProperty("firstChange");
        Assert.Equal("missing", change.GetProperty("kind").GetString());
        Assert.Equal(2, change.GetProperty("leafIndex").GetInt64());
        Assert.Equal("dyad-ARM-AZE", change.GetProperty("streamId").GetString());
        Assert.Equal(HttpStatusCode.OK, malformedResponse.StatusCode);
        Assert.False(malformed.GetProperty("intact").GetBoolean());
        Assert.Contains("the stored row is malformed: data is not JSON", malformed.GetProperty("firstBroken").GetProperty("problem").GetString());
        Assert.NotEmpty(malformed.GetProperty("cannotDetect").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("a checkpoint has 6 lines", refused.GetProperty("errors").GetProperty("checkpoint")[0].GetString());
        Assert.Contains("not an Ed25519 public key", refused.GetProperty("errors").GetProperty("publicKey")[0].GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_store_an_unfinished_copy_left_is_not_intact_over_http()
    {
        var folder = TestFolders.Create("karabakh-service-verify-copy-").FullName;
        await using var node = await ServiceNode.StartAsync(Path.Combine(folder, "ledger.db"));
        Assert.Equal(HttpStatusCode.Created, (await node.As(LedgerRoles.Analyst).PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("ARM", "AZE")))).StatusCode);
        var auditor = node.As(LedgerRoles.Auditor);
        var before = await (await auditor.GetAsync("/api/verify")).ReadJsonAsync();
        await node.Services.GetRequiredService<ILedgerStore>().SetCopyInProgressAsync(new CopyInProgress("SQLite file elsewhere.db", DateTimeOffset.UnixEpoch));

        var after = await (await auditor.GetAsync("/api/verify")).ReadJsonAsync();

        Assert.True(before.GetProperty("intact").GetBoolean(), before.ToString());
        Assert.False(after.GetProperty("intact").GetBoolean());
        Assert.Equal("SQLite file elsewhere.db", after.GetProperty("unfinishedCopy").GetProperty("source").GetString());
        Assert.False(after.TryGetProperty("firstBroken", out _));
    }

    private static async Task Sql(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
