using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Domain.Tests;

public sealed class EventContractTests
{
    private static InteractionFacts Facts(Guid? id = null) => new(
        id ?? Guid.NewGuid(), "1246", "TUR", "RUS", false, PartialDate.Parse("2022-02"), Theatre.BlackSeaUkraine,
        "Straits closed.", [new Figure("warships", 4, "ships")],
        [new Source("Reuters.com", "Title", new Uri("https://example.org/a"), new DateOnly(2022, 9, 20))],
        Guid.NewGuid(), ["RUS", "TUR", "UKR"], "note");

    [Fact]
    public void Type_names_are_unique_and_every_interaction_kind_has_one()
    {
        Assert.Equal(EventTypes.All.Count, EventTypes.All.Select(t => t.Name).Distinct().Count());
        var kinds = typeof(InteractionEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(InteractionEvent)) && !t.IsAbstract);
        Assert.All(kinds, k => Assert.Contains(EventTypes.All, t => t.ClrType == k));
    }

    [Fact]
    public void Every_event_type_round_trips_through_its_stored_json()
    {
        foreach (var type in EventTypes.All)
        {
            ILedgerEvent e = type.ClrType == typeof(AgreementSigned) ? new AgreementSigned(Facts(), AgreementKind.GrainDeal)
                : type.ClrType == typeof(SanctionsStanceTaken) ? new SanctionsStanceTaken(Facts(), SanctionsStance.Criticised)
                : type.ClrType == typeof(InteractionCorrected) ? new InteractionCorrected(Guid.NewGuid(), Guid.NewGuid(), Facts(), "why", Facts().Sources)
                : type.ClrType == typeof(InteractionRetracted) ? new InteractionRetracted(Guid.NewGuid(), Guid.NewGuid(), "why", Facts().Sources)
                : type.ClrType == typeof(CodedInteraction) ? new CodedInteraction(Facts(), Coded())
                : type.ClrType == typeof(InteractionsMerged) ? new InteractionsMerged(Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()], "why", Facts().Sources)
                : (ILedgerEvent)Activator.CreateInstance(type.ClrType, Facts())!;

            var stored = EventSerializer.Default.Serialize(e);
            var read = EventSerializer.Default.Deserialize(stored.Type, stored.SchemaVersion, stored.Json);

            Assert.Equal(type.Name, stored.Type);
            Assert.Equal(e.GetType(), read.GetType());
            Assert.Equal(stored.Json, EventSerializer.Default.Serialize(read).Json);
        }
    }

    private static EventDataProvenance Coded() => new(
        "gdelt2", "2.0", "gdelt2", "20220224000000.export.CSV", 7, "1029384756",
        new CodedSide("TURGOV", "TURGOV", "TURKEY", "TUR", Types: ["GOV"]), new CodedSide("RUS", "RUS", "RUSSIA", "RUS"),
        "1246", -9.5m, 4, 10, 2, 10, -3.25m, "2022-02-24T00:00:00Z", "https://example.org/a");

    [Fact]
    public void An_imported_row_keeps_the_dataset_s_own_values_as_written_and_is_not_a_recording_kind()
    {
        var json = JsonNode.Parse(EventSerializer.Default.Serialize(new CodedInteraction(Facts(), Coded())).Json)!;

        Assert.Equal("gdelt2", (string?)json["provenance"]!["dataset"]);
        Assert.Equal("1029384756", (string?)json["provenance"]!["sourceEventId"]);
        Assert.Equal("-9.5", json["provenance"]!["goldstein"]!.ToJsonString());
        Assert.Equal("-3.25", json["provenance"]!["avgTone"]!.ToJsonString());
        Assert.Equal("GOV", (string?)json["provenance"]!["source"]!["types"]![0]);
        Assert.DoesNotContain(EventTypes.Interactions, t => t.Name == "coded-interaction");
    }

    [Theory]
    [InlineData(null, "curated")]
    [InlineData("all", "all")]
    [InlineData("ICEWS, gdelt2", "gdelt2,icews")]
    [InlineData("curated,gdelt1", "curated,gdelt1")]
    public void A_provenance_filter_parses_one_or_more_names_or_all(string? text, string expected)
    {
        Assert.True(Provenance.ProvenanceFilter.TryParse(text, out var filter, out _));
        Assert.Equal(expected, filter.ToString());
    }

    [Fact]
    public void A_provenance_filter_refuses_unknown_names_and_counts_imports_by_their_dataset()
    {
        Assert.False(Provenance.ProvenanceFilter.TryParse("gdelt3", out _, out var error));
        Assert.Contains("'gdelt3' is not a provenance", error);
        Assert.False(Provenance.ProvenanceFilter.Curated.Includes(new CodedInteraction(Facts(), Coded())));
        Assert.True(Provenance.ProvenanceFilter.Curated.Includes(new ThreatIssued(Facts())));
        Assert.True(Provenance.ProvenanceFilter.All.Includes(new CodedInteraction(Facts(), Coded())));
    }

    [Fact]
    public void A_merge_is_stored_as_interactions_merged_v1_with_the_documented_names()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var stored = EventSerializer.Default.Serialize(new InteractionsMerged(Guid.NewGuid(), [a, b], "one kidnapping", Facts().Sources));
        var json = JsonNode.Parse(stored.Json)!;

        Assert.Equal(("interactions-merged", 1), (stored.Type, stored.SchemaVersion));
        Assert.Equal([a.ToString("D"), b.ToString("D")], json["mergedEventIds"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("one kidnapping", (string?)json["reason"]);
        Assert.NotNull(json["sources"]);
    }

    [Fact]
    public void Stored_json_uses_the_documented_names()
    {
        var json = JsonNode.Parse(EventSerializer.Default.Serialize(new AgreementSigned(Facts(), AgreementKind.GrainDeal)).Json)!;

        Assert.Equal("grain-deal", (string?)json["agreement"]);
        Assert.Equal("2022-02", (string?)json["facts"]!["occurredOn"]);
        Assert.Equal("black-sea-ukraine", (string?)json["facts"]!["theatre"]);
        Assert.Equal("1246", (string?)json["facts"]!["cameoCode"]);
    }

    [Fact]
    public void An_older_stored_shape_is_upcast_on_read_and_never_rewritten()
    {
        var v2 = new EventType("threat", 2, typeof(ThreatIssued));
        var serializer = new EventSerializer([v2], [new ThreatV1ToV2()]);
        var storedV1 = """{"facts":{"eventId":"6a4d7a1e-0000-4000-8000-000000000001","cameo":"138","initiator":"RUS","target":"TUR","joint":false,"occurredOn":"2020-03","theatre":"syria","summary":"Threat.","figures":[],"sources":[{"outlet":"o","title":"t","document":"003","passage":"p"}]}}""";

        var read = Assert.IsType<ThreatIssued>(serializer.Deserialize("threat", 1, storedV1));

        Assert.Equal("138", read.Facts.CameoCode);
        Assert.Equal("RUS", read.Facts.Initiator);
    }

    [Fact]
    public void A_version_without_an_upcaster_or_newer_than_known_is_refused()
    {
        var serializer = new EventSerializer([new EventType("threat", 3, typeof(ThreatIssued))], [new ThreatV1ToV2()]);

        Assert.Contains("No upcaster", Assert.Throws<InvalidDataException>(() => serializer.Deserialize("threat", 1, """{"facts":{"cameo":"138"}}""")).Message);
        Assert.Contains("newer", Assert.Throws<InvalidDataException>(() => EventSerializer.Default.Deserialize("threat", 9, "{}")).Message);
        Assert.Contains("unknown", Assert.Throws<InvalidDataException>(() => EventSerializer.Default.Deserialize("nope", 1, "{}")).Message);
    }

    /// <summary>A test upcaster: a hypothetical v1 of "threat" named the code field "cameo".</summary>
    private sealed class ThreatV1ToV2 : IEventUpcaster
    {
        public string EventType => "threat";

        public int FromVersion => 1;

        public JsonObject Upcast(JsonObject data)
        {
            var facts = data["facts"]!.AsObject();
            facts["cameoCode"] = facts["cameo"]!.DeepClone();
            facts.Remove("cameo");
            return data;
        }
    }

    [Fact]
    public void Canonical_json_is_the_same_whatever_the_key_order_and_spacing()
    {
        var a = CanonicalJson.Canonicalize("""{ "b": [1, {"y": "é", "x": 2.50}], "a": null }""");
        var b = CanonicalJson.Canonicalize("""{"a":null,"b":[1,{"x":2.50,"y":"\u00e9"}]}""");

        Assert.Equal(a, b);
        Assert.Equal("""{"a":null,"b":[1,{"x":2.50,"y":"é"}]}""", a);
    }

    [Fact]
    public void Deterministic_ids_depend_on_namespace_and_name()
    {
        var one = DeterministicGuid.Create(DeterministicGuid.FanOutNamespace, "act/RUS-TUR");

        Assert.Equal(one, DeterministicGuid.Create(DeterministicGuid.FanOutNamespace, "act/RUS-TUR"));
        Assert.NotEqual(one, DeterministicGuid.Create(DeterministicGuid.FanOutNamespace, "act/RUS-UKR"));
        Assert.NotEqual(one, DeterministicGuid.Create(DeterministicGuid.ContentNamespace, "act/RUS-TUR"));
        Assert.Equal(8, one.Version);
    }
}
