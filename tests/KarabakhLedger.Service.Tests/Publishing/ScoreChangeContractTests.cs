using System.Text.Json;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Scoring.Changes;
using KarabakhLedger.Service.Publishing;
using Wolverine.Util;

namespace KarabakhLedger.Service.Tests.Publishing;

/// <summary>
/// <see cref="RelationshipScoreChanged"/> is a published shape: version 2 adds the cause fields under a new message
/// type name, and a version 1 message (as the outbox stored them before) keeps its type name and upcasts to version 2.
/// </summary>
public sealed class ScoreChangeContractTests
{
    private const string StoredV1 = """
        {"position":41,"dyad":"ARM-AZE","eventId":"6f1c2d9e-8a51-4c3b-9d61-0c9f5b2a7e10","eventType":"interaction-retracted",
         "model":"goldstein-gdelt@1","asOf":"2026-11-30","knownAt":"2026-11-30T10:00:00+00:00","score":-3.5,"cooperation":2,
         "conflict":-6,"net":-4,"events":3,"digest":"abc123"}
        """;

    [Fact]
    public void Version_1_keeps_the_message_type_name_it_was_stored_under_and_version_2_has_its_own()
    {
        Assert.Equal("KarabakhLedger.Service.Subscriptions.RelationshipScoreChanged", typeof(RelationshipScoreChangedV1).ToMessageTypeName());
        Assert.Equal(RelationshipScoreChanged.MessageType, typeof(RelationshipScoreChanged).ToMessageTypeName());
        Assert.NotEqual(typeof(RelationshipScoreChangedV1).ToMessageTypeName(), typeof(RelationshipScoreChanged).ToMessageTypeName());
    }

    [Fact]
    public void A_stored_version_1_message_upcasts_to_version_2_with_its_kind_and_without_what_it_never_had()
    {
        var v1 = JsonSerializer.Deserialize<RelationshipScoreChangedV1>(StoredV1, JsonSerializerOptions.Web)!;

        var v2 = v1.Transform();

        Assert.Equal((41L, "ARM-AZE", -3.5m, 3, "abc123"), (v2.Position, v2.Dyad, v2.Score, v2.Events, v2.Digest));
        Assert.Equal((ChangeKind.Retracted, 0, "ARM-AZE"), (v2.Kind, v2.Sequence, v2.RecordedDyad));
        Assert.Null(v2.Before);
        Assert.Empty(v2.Buckets);
        Assert.Empty(v2.TargetEventIds);
        Assert.Equal(2, v2.Version);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(v2, LedgerJson.Options)).RootElement;
        Assert.Equal("retracted", json.GetProperty("kind").GetString());
    }
}
