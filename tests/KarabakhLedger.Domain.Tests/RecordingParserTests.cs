using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Tests;

public sealed class RecordingParserTests
{
    private static JsonObject Valid() => new()
    {
        ["type"] = "straits-closed",
        ["cameoCode"] = "191",
        ["initiator"] = "TUR",
        ["target"] = "RUS",
        ["occurredOn"] = "2022-02",
        ["theatre"] = "black-sea-ukraine",
        ["summary"] = "Türkiye closes the straits to Russian warships.",
        ["figures"] = new JsonArray(new JsonObject { ["name"] = "warships", ["value"] = 4, ["unit"] = "ships" }),
        ["sources"] = new JsonArray(new JsonObject
        {
            ["outlet"] = "Reuters.com",
            ["title"] = "Turkey closes straits",
            ["url"] = "https://www.reuters.com/x",
            ["accessed"] = "2022-09-20",
        }),
    };

    private static IReadOnlyList<ValidationError> Errors(JsonNode input) =>
        Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch(input.ToJsonString(), ActorRegistry.Default)).Errors;

    private static JsonObject With(Action<JsonObject> change)
    {
        var input = Valid();
        change(input);
        return input;
    }

    [Fact]
    public void A_valid_bilateral_interaction_becomes_one_event_in_its_dyad()
    {
        var recording = Assert.IsType<InteractionRecording>(RecordingParser.ParseBatch(Valid().ToJsonString(), ActorRegistry.Default).Single());

        var planned = recording.Events.Single();
        var e = Assert.IsType<StraitsClosed>(planned.Event);
        Assert.Equal("RUS-TUR", planned.Dyad.Key);
        Assert.Equal(("TUR", "RUS", false), (e.Facts.Initiator, e.Facts.Target, e.Facts.Joint));
        Assert.Equal(DatePrecision.Month, e.Facts.OccurredOn.Precision);
        Assert.Equal(Theatre.BlackSeaUkraine, e.Facts.Theatre);
        Assert.Equal(4m, e.Facts.Figures.Single().Value);
        Assert.Equal(new DateOnly(2022, 9, 20), e.Facts.Sources.Single().Accessed);
    }

    [Fact]
    public void Without_an_id_the_id_is_derived_from_the_content()
    {
        var first = RecordingParser.ParseBatch(Valid().ToJsonString(), ActorRegistry.Default).Single();
        var again = RecordingParser.ParseBatch(Valid().ToJsonString(), ActorRegistry.Default).Single();
        var other = RecordingParser.ParseBatch(With(i => i["summary"] = "Something else.").ToJsonString(), ActorRegistry.Default).Single();

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
    }

    [Fact]
    public void A_given_id_is_kept()
    {
        var id = Guid.NewGuid();

        var recording = RecordingParser.ParseBatch(With(i => i["id"] = id.ToString()).ToJsonString(), ActorRegistry.Default).Single();

        Assert.Equal(id, recording.Id);
    }

    [Theory]
    [InlineData("initiator", "XYZ", "initiator", "'XYZ' is not a known actor code")]
    [InlineData("target", "TUR", "target", "must differ from initiator")]
    [InlineData("cameoCode", "999", "cameoCode", "is not a CAMEO code")]
    [InlineData("cameoCode", "10a", "cameoCode", "is not a CAMEO code")]
    [InlineData("occurredOn", "2022-02-30", "occurredOn", "is not a real date")]
    [InlineData("occurredOn", "late April 2022", "occurredOn", "YYYY")]
    [InlineData("theatre", "moon", "theatre", "is not one of")]
    [InlineData("type", "invasion", "type", "is not an interaction type")]
    [InlineData("summary", "   ", "summary", "must not be empty")]
    [InlineData("agreement", "ceasefire", "agreement", "only for type 'agreement-signed'")]
    [InlineData("colour", "red", "colour", "is not a field")]
    public void A_bad_field_is_named_with_its_rule(string field, string value, string reportedField, string rule)
    {
        var errors = Errors(With(i => i[field] = value));

        var error = Assert.Single(errors);
        Assert.Equal(reportedField, error.Field);
        Assert.Contains(rule, error.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("type")]
    [InlineData("cameoCode")]
    [InlineData("initiator")]
    [InlineData("target")]
    [InlineData("occurredOn")]
    [InlineData("theatre")]
    [InlineData("summary")]
    [InlineData("sources")]
    public void A_missing_required_field_is_named(string field)
    {
        var error = Assert.Single(Errors(With(i => i.Remove(field))));

        Assert.Equal(field, error.Field);
        Assert.Contains("required", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_must_exist_and_each_must_be_traceable()
    {
        Assert.Contains(Errors(With(i => i["sources"] = new JsonArray())), e => e is { Field: "sources", Rule: var r } && r.Contains("at least 1"));
        var errors = Errors(With(i => i["sources"] = new JsonArray(
            new JsonObject { ["outlet"] = "X", ["title"] = "Y" },
            new JsonObject { ["outlet"] = "X", ["title"] = "Y", ["url"] = "not a url", ["accessed"] = "2022-09" },
            new JsonObject { ["title"] = "Y", ["document"] = "000" })));

        Assert.Contains(errors, e => e.Field == "sources[0].url" && e.Rule.Contains("needs a url"));
        Assert.Contains(errors, e => e.Field == "sources[1].url" && e.Rule.Contains("absolute http or https"));
        Assert.Contains(errors, e => e.Field == "sources[1].accessed");
        Assert.Contains(errors, e => e.Field == "sources[2].outlet" && e.Rule.Contains("required"));
        Assert.Contains(errors, e => e.Field == "sources[2].passage" && e.Rule.Contains("required"));
    }

    [Fact]
    public void Figures_need_a_name_a_number_and_a_unit()
    {
        var errors = Errors(With(i => i["figures"] = new JsonArray(new JsonObject { ["name"] = "troops", ["value"] = "many" })));

        Assert.Contains(errors, e => e.Field == "figures[0].value" && e.Rule == "must be a number");
        Assert.Contains(errors, e => e.Field == "figures[0].unit" && e.Rule == "is required");
    }

    [Fact]
    public void Agreements_and_sanctions_stances_need_their_kind()
    {
        var agreement = Errors(With(i => { i["type"] = "agreement-signed"; i["cameoCode"] = "057"; }));
        Assert.Contains(agreement, e => e.Field == "agreement" && e.Rule == "is required");

        var stance = RecordingParser.ParseBatch(With(i => { i["type"] = "sanctions-stance"; i["cameoCode"] = "128"; i["stance"] = "declined"; }).ToJsonString(), ActorRegistry.Default);
        var e = Assert.IsType<SanctionsStanceTaken>(((InteractionRecording)stance.Single()).Events.Single().Event);
        Assert.Equal(SanctionsStance.Declined, e.Stance);
    }

    [Fact]
    public void Malformed_json_and_non_objects_are_refused()
    {
        var malformed = Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch("{\"type\": ", ActorRegistry.Default));
        Assert.Contains("well-formed JSON", malformed.Errors.Single().Rule);
        Assert.Contains(Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch("42", ActorRegistry.Default)).Errors, e => e.Rule.Contains("object"));
        Assert.Contains(Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch("[1]", ActorRegistry.Default)).Errors, e => e.Field == "[0](item)" || e.Field.StartsWith("[0]"));
    }

    [Fact]
    public void In_a_batch_one_bad_object_refuses_the_batch_and_is_named_by_index()
    {
        var batch = new JsonArray(Valid(), With(i => i["initiator"] = "XYZ"));

        var error = Assert.Single(Errors(batch));

        Assert.Equal("[1].initiator", error.Field);
    }

    [Fact]
    public void The_same_id_twice_in_a_batch_is_refused()
    {
        var id = Guid.NewGuid().ToString();

        var error = Assert.Single(Errors(new JsonArray(With(i => i["id"] = id), With(i => { i["id"] = id; i["summary"] = "other"; }))));

        Assert.Equal("id", error.Field);
    }

    [Fact]
    public void A_multilateral_act_fans_out_to_every_pair_and_from_the_host_with_one_correlation_id()
    {
        var act = With(i =>
        {
            i.Remove("initiator");
            i.Remove("target");
            i["type"] = "agreement-signed";
            i["agreement"] = "grain-deal";
            i["cameoCode"] = "057";
            i["participants"] = new JsonArray("UKR", "RUS");
            i["host"] = new JsonObject { ["actor"] = "TUR", ["cameoCode"] = "045" };
        });

        var recording = Assert.IsType<InteractionRecording>(RecordingParser.ParseBatch(act.ToJsonString(), ActorRegistry.Default).Single());
        var again = (InteractionRecording)RecordingParser.ParseBatch(act.ToJsonString(), ActorRegistry.Default).Single();

        Assert.Equal(["RUS-TUR", "RUS-UKR", "TUR-UKR"], recording.Events.Select(e => e.Dyad.Key).Order());
        var facts = recording.Events.Select(e => ((InteractionEvent)e.Event).Facts).ToArray();
        Assert.All(facts, f => Assert.Equal(recording.Id, f.CorrelationId));
        Assert.All(facts, f => Assert.Equal(["RUS", "TUR", "UKR"], f.Participants!));
        var joint = facts.Single(f => f.Dyad.Key == "RUS-UKR");
        Assert.True(joint.Joint);
        Assert.Equal("057", joint.CameoCode);
        var hosted = facts.Single(f => f.Dyad.Key == "TUR-UKR");
        Assert.Equal(("TUR", "UKR", false, "045"), (hosted.Initiator, hosted.Target, hosted.Joint, hosted.CameoCode));
        Assert.Equal(3, facts.Select(f => f.EventId).Distinct().Count());
        Assert.Equal(recording.Events.Select(e => e.Event.EventId), again.Events.Select(e => e.Event.EventId));
    }

    [Fact]
    public void A_multilateral_act_refuses_a_host_among_the_participants_and_mixed_shapes()
    {
        var hostInside = Errors(With(i =>
        {
            i.Remove("initiator");
            i.Remove("target");
            i["participants"] = new JsonArray("UKR", "RUS");
            i["host"] = new JsonObject { ["actor"] = "RUS", ["cameoCode"] = "045" };
        }));
        Assert.Contains(hostInside, e => e.Field == "host.actor" && e.Rule.Contains("third party"));

        var mixed = Errors(With(i => i["participants"] = new JsonArray("UKR", "RUS")));
        Assert.Contains(mixed, e => e.Field == "participants" && e.Rule.Contains("not initiator/target"));

        var twice = Errors(With(i => { i.Remove("initiator"); i.Remove("target"); i["participants"] = new JsonArray("UKR", "UKR"); }));
        Assert.Contains(twice, e => e.Field == "participants[1]" && e.Rule.Contains("twice"));
    }

    [Fact]
    public void Corrections_and_retractions_parse_with_their_target()
    {
        var target = Guid.NewGuid();
        var correction = new JsonObject
        {
            ["corrects"] = target.ToString(),
            ["reason"] = "The footnote dates it to March.",
            ["sources"] = Valid()["sources"]!.DeepClone(),
            ["with"] = With(i => i["occurredOn"] = "2022-03"),
        };
        var retraction = new JsonObject
        {
            ["retracts"] = target.ToString(),
            ["reason"] = "Duplicate.",
            ["sources"] = Valid()["sources"]!.DeepClone(),
        };

        var parsed = RecordingParser.ParseBatch(new JsonArray(correction, retraction).ToJsonString(), ActorRegistry.Default);

        var c = Assert.IsType<CorrectionRecording>(parsed[0]);
        Assert.Equal(target, c.Corrects);
        Assert.Equal(target, c.With.Facts.EventId);
        Assert.Equal("2022-03", c.With.Facts.OccurredOn.ToString());
        Assert.Equal(target, Assert.IsType<RetractionRecording>(parsed[1]).Retracts);
        Assert.Contains(Errors(new JsonObject { ["retracts"] = "nope", ["reason"] = "x", ["sources"] = Valid()["sources"]!.DeepClone() }),
            e => e.Field == "retracts" && e.Rule.Contains("UUID"));
    }
}
