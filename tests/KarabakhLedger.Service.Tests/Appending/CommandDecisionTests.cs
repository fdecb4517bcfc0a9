using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Correcting;
using KarabakhLedger.Service.Recording;
using KarabakhLedger.Service.Retracting;
using KarabakhLedger.Service.Tests.Support;

namespace KarabakhLedger.Service.Tests.Appending;

/// <summary>The command handlers' decisions as plain functions: body in, what to append (or the refusal) out.</summary>
public sealed class CommandDecisionTests
{
    [Fact]
    public void Recording_an_interaction_appends_it_with_any_version_unless_one_is_expected()
    {
        var body = Bodies.Interaction("TUR", "RUS");

        var any = RecordInteractionHandler.Decide(new RecordInteraction(body, null), ActorRegistry.Default);
        var guarded = RecordInteractionHandler.Decide(new RecordInteraction(body, 3), ActorRegistry.Default);

        var recording = Assert.IsType<InteractionRecording>(Assert.Single(any.Recordings));
        Assert.Equal("RUS-TUR", Assert.Single(recording.Events).Dyad.Key);
        Assert.Equal(ExpectedVersion.Any, any.Expected);
        Assert.Equal(ExpectedVersion.Exactly(3), guarded.Expected);
    }

    [Fact]
    public void The_same_body_decides_the_same_event_id()
    {
        var body = Bodies.Interaction("TUR", "RUS");

        var first = RecordInteractionHandler.Decide(new RecordInteraction(body, null), ActorRegistry.Default);
        var second = RecordInteractionHandler.Decide(new RecordInteraction(body, null), ActorRegistry.Default);

        Assert.Equal(first.Recordings[0].Id, second.Recordings[0].Id);
    }

    [Fact]
    public void Every_broken_rule_is_named_by_its_field_path()
    {
        var body = Bodies.Interaction("TUR", "TUR", cameoCode: "999")
            .Replace("https://example.org/report", "ftp://nowhere", StringComparison.Ordinal);

        var refused = Assert.Throws<LedgerValidationException>(() => RecordInteractionHandler.Decide(new RecordInteraction(body, null), ActorRegistry.Default));

        var fields = refused.Errors.Select(e => e.Field).ToArray();
        Assert.Contains("cameoCode", fields);
        Assert.Contains("sources[0].url", fields);
        Assert.Contains(refused.Errors, e => e.Field is "target" or "initiator");
        Assert.All(refused.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Rule)));
    }

    [Theory]
    [InlineData("[]", "(input)")]
    [InlineData("{ not json", "(input)")]
    [InlineData("{}", "type")]
    public void A_body_that_is_not_one_object_of_the_format_is_refused(string body, string field)
    {
        var refused = Assert.Throws<LedgerValidationException>(() => RecordInteractionHandler.Decide(new RecordInteraction(body, null), ActorRegistry.Default));

        Assert.Contains(refused.Errors, e => e.Field == field);
    }

    [Fact]
    public void A_negative_expected_version_is_refused()
    {
        var refused = Assert.Throws<LedgerValidationException>(
            () => RecordInteractionHandler.Decide(new RecordInteraction(Bodies.Interaction("TUR", "RUS"), -1), ActorRegistry.Default));

        Assert.Equal("expectedVersion", Assert.Single(refused.Errors).Field);
    }

    [Fact]
    public void Each_command_refuses_the_other_kinds_and_names_the_endpoint_that_takes_them()
    {
        var act = Bodies.MultilateralAct("RUS", "ARM", "AZE");
        var interaction = Bodies.Interaction("TUR", "RUS");
        var retraction = Bodies.Retraction(Guid.NewGuid());

        Assert.Equal("participants", Refusal(() => RecordInteractionHandler.Decide(new RecordInteraction(act, null), ActorRegistry.Default)).Field);
        Assert.Equal("initiator", Refusal(() => RecordMultilateralActHandler.Decide(new RecordMultilateralAct(interaction), ActorRegistry.Default)).Field);
        Assert.Equal("retracts", Refusal(() => CorrectInteractionHandler.Decide(new CorrectInteraction(retraction, null), ActorRegistry.Default)).Field);
        Assert.Equal("initiator", Refusal(() => RetractInteractionHandler.Decide(new RetractInteraction(interaction, null), ActorRegistry.Default)).Field);
        Assert.Contains("/api/multilateral-acts", Refusal(() => RecordInteractionHandler.Decide(new RecordInteraction(act, null), ActorRegistry.Default)).Rule);
    }

    [Fact]
    public void A_multilateral_act_fans_out_to_every_affected_dyad_with_one_correlation_id()
    {
        var append = RecordMultilateralActHandler.Decide(new RecordMultilateralAct(Bodies.MultilateralAct("RUS", "ARM", "AZE")), ActorRegistry.Default);

        var act = Assert.IsType<InteractionRecording>(Assert.Single(append.Recordings));
        Assert.Equal(["ARM-AZE", "ARM-RUS", "AZE-RUS"], act.Events.Select(e => e.Dyad.Key).Order(StringComparer.Ordinal));
        Assert.All(act.Events, e => Assert.Equal(act.Id, ((InteractionEvent)e.Event).Facts.CorrelationId));
        Assert.Equal(ExpectedVersion.Any, append.Expected);
    }

    [Fact]
    public void A_multilateral_act_refuses_an_expected_version_rather_than_ignoring_it()
    {
        var refused = Assert.Throws<LedgerValidationException>(
            () => RecordMultilateralActHandler.Decide(new RecordMultilateralAct(Bodies.MultilateralAct("RUS", "ARM", "AZE"), 0), ActorRegistry.Default));

        Assert.Equal("expectedVersion", Assert.Single(refused.Errors).Field);
    }

    [Fact]
    public void A_correction_and_a_retraction_name_the_event_they_amend()
    {
        var target = Guid.NewGuid();

        var correction = CorrectInteractionHandler.Decide(new CorrectInteraction(Bodies.Correction(target, "TUR", "RUS", "042"), 2), ActorRegistry.Default);
        var retraction = RetractInteractionHandler.Decide(new RetractInteraction(Bodies.Retraction(target), null), ActorRegistry.Default);

        Assert.Equal(target, Assert.IsType<CorrectionRecording>(Assert.Single(correction.Recordings)).Corrects);
        Assert.Equal(ExpectedVersion.Exactly(2), correction.Expected);
        Assert.Equal(target, Assert.IsType<RetractionRecording>(Assert.Single(retraction.Recordings)).Retracts);
    }

    private static ValidationError Refusal(Action decide) => Assert.Single(Assert.Throws<LedgerValidationException>(decide).Errors);
}
