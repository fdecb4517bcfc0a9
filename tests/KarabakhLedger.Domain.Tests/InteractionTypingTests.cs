using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Tests;

public sealed class InteractionTypingTests
{
    private static JsonObject Interaction(string type, string cameoCode) => new()
    {
        ["type"] = type,
        ["cameoCode"] = cameoCode,
        ["initiator"] = "RUS",
        ["target"] = "ARM",
        ["occurredOn"] = "2020",
        ["theatre"] = "south-caucasus",
        ["summary"] = "Russia rejects Armenia's appeals for soldiers and equipment.",
        ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "Seed document 000", ["title"] = "t", ["document"] = "000", ["passage"] = "p" }),
    };

    private static IReadOnlyList<ValidationError> Errors(JsonNode input) =>
        Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch(input.ToJsonString(), ActorRegistry.Default)).Errors;

    [Fact]
    public void Every_interaction_type_and_the_host_have_a_rule_of_real_cameo_codes()
    {
        var typed = InteractionTyping.Default.Rules.Select(r => r.Type).Order(StringComparer.Ordinal);

        Assert.Equal(EventTypes.Interactions.Select(t => t.Name).Append(InteractionTyping.Host).Order(StringComparer.Ordinal), typed);
        Assert.All(InteractionTyping.Default.Rules, r => Assert.All(r.Items, item => Assert.True(CameoCatalog.Default.TryGet(item, out _), item)));
    }

    [Theory]
    [InlineData("refusal", "1222")]
    [InlineData("refusal", "12")]
    [InlineData("refusal", "126")]
    [InlineData("military-support", "072")]
    [InlineData("strike", "195")]
    [InlineData("strike", "196")]
    [InlineData("annexation", "192")]
    [InlineData("prisoner-exchange", "0841")]
    [InlineData("trade-cooperation", "0311")]
    [InlineData("diplomatic-cooperation", "051")]
    public void A_code_of_matching_meaning_is_admitted(string type, string code)
    {
        Assert.Null(InteractionTyping.Default.Refuse(type, code));
        Assert.Single(RecordingParser.ParseBatch(Interaction(type, code).ToJsonString(), ActorRegistry.Default));
    }

    [Theory]
    [InlineData("military-support", "1222")]
    [InlineData("mediation", "126")]
    [InlineData("mediation", "051")]
    [InlineData("strike", "192")]
    [InlineData("refusal", "190")]
    [InlineData("threat", "150")]
    [InlineData("appeal", "010")]
    [InlineData("monitoring-mission", "1245")]
    public void A_code_of_another_meaning_is_refused_on_the_cameo_code(string type, string code)
    {
        var error = Assert.Single(Errors(Interaction(type, code)));

        Assert.Equal("cameoCode", error.Field);
        Assert.StartsWith($"type '{type}' admits CAMEO codes ", error.Rule, StringComparison.Ordinal);
        Assert.Contains($"; {code} is '{CameoCatalog.Default.Get(code).Label}'", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void The_refusal_names_the_type_its_codes_and_what_the_code_means()
    {
        var error = Assert.Single(Errors(Interaction("refusal", "190")));

        Assert.Equal(
            "type 'refusal' admits CAMEO codes 12x (rejecting, refusing, defying); 190 is 'Use conventional military force, not specified below' (see docs/recording-format.md, typing rule)",
            error.Rule);
    }

    [Fact]
    public void A_listed_code_admits_its_sub_codes_and_a_root_every_code_under_it_but_no_neighbour()
    {
        var prisoners = InteractionTyping.Default.For("prisoner-exchange");
        Assert.True(prisoners.Admits("084"));
        Assert.True(prisoners.Admits("0842"));
        Assert.False(prisoners.Admits("085"));
        Assert.False(prisoners.Admits("08"));

        var threat = InteractionTyping.Default.For("threat");
        Assert.True(threat.Admits("13"));
        Assert.True(threat.Admits("1385"));
        Assert.False(threat.Admits("013"));
    }

    [Fact]
    public void A_host_code_must_be_one_a_host_has_and_corrections_are_typed_too()
    {
        var act = Interaction("talks-held", "046");
        act.Remove("initiator");
        act.Remove("target");
        act["participants"] = new JsonArray("ARM", "AZE");
        act["host"] = new JsonObject { ["actor"] = "RUS", ["cameoCode"] = "190" };

        var host = Assert.Single(Errors(act));
        Assert.Equal("host.cameoCode", host.Field);
        Assert.StartsWith("a host admits CAMEO codes 039, 04x, 0861 ", host.Rule, StringComparison.Ordinal);

        var correction = new JsonObject
        {
            ["corrects"] = Guid.NewGuid().ToString(),
            ["reason"] = "A refusal, not support.",
            ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "o", ["title"] = "t", ["document"] = "000", ["passage"] = "p" }),
            ["with"] = Interaction("military-support", "1222"),
        };
        Assert.Contains(Errors(correction), e => e.Field == "with.cameoCode" && e.Rule.StartsWith("type 'military-support' admits", StringComparison.Ordinal));
    }
}
