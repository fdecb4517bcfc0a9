using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Recording;
using static KarabakhLedger.Testing.RecordingJson;

namespace KarabakhLedger.Ledger.Tests.Recording;

/// <summary>The decision of recording as a plain function: recordings and the loaded targets in, events or every broken rule out.</summary>
public sealed class RecordingDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_amendment_of_an_interaction_in_the_same_batch_needs_nothing_loaded()
    {
        var original = Interaction();
        var recordings = RecordingParser.ParseBatch(Batch(original, Correction(original, "2022-03"), Retraction(original)), ActorRegistry.Default);

        var plan = RecordingDecision.Decide(recordings, AmendmentTargets.None, Now);

        Assert.Equal(["airspace-closed", "interaction-corrected", "interaction-retracted"], plan.Events.Select(e => Domain.Contracts.EventTypes.NameOf(e.Event.Event)));
        Assert.All(plan.Events, e => Assert.Equal("RUS-TUR", e.Event.Dyad.Key));
        Assert.Equal(["[1].corrects", "[2].retracts"], plan.Amendments.Select(a => a.Field));
    }

    [Fact]
    public void A_stored_target_is_amended_in_its_own_dyad()
    {
        var original = Interaction("ARM", "AZE");
        var stored = (InteractionEvent)((InteractionRecording)RecordingParser.ParseBatch(Batch(original), ActorRegistry.Default).Single()).Events[0].Event;
        var targets = new AmendmentTargets(new Dictionary<Guid, AmendmentTarget> { [stored.EventId] = new(stored, null) });

        var plan = RecordingDecision.Decide(RecordingParser.ParseBatch(Batch(Retraction(original)), ActorRegistry.Default), targets, Now);

        Assert.Equal("ARM-AZE", Assert.Single(plan.Events).Event.Dyad.Key);
        Assert.Equal(("retracts", "dyad-ARM-AZE"), (plan.Amendments[0].Field, plan.Amendments[0].StreamId));
    }

    [Fact]
    public void Every_broken_rule_is_named_at_once()
    {
        var missing = Interaction();
        var elsewhere = Interaction("ARM", "AZE");
        var stored = (InteractionEvent)((InteractionRecording)RecordingParser.ParseBatch(Batch(elsewhere), ActorRegistry.Default).Single()).Events[0].Event;
        var moved = Correction(elsewhere, "2022-03");
        ((JsonObject)moved["with"]!)["target"] = "TUR";
        var future = Interaction();
        future["occurredOn"] = "2026-12-04";
        var notAnInteraction = Guid.NewGuid();
        var retractingAMerge = new JsonObject { ["retracts"] = notAnInteraction.ToString(), ["reason"] = "r", ["sources"] = Sources() };
        var targets = new AmendmentTargets(new Dictionary<Guid, AmendmentTarget>
        {
            [stored.EventId] = new(stored, null),
            [notAnInteraction] = new(null, "interactions-merged"),
        });

        var refused = Assert.Throws<LedgerValidationException>(() =>
            RecordingDecision.Decide(RecordingParser.ParseBatch(Batch(Retraction(missing), moved, retractingAMerge), ActorRegistry.Default), targets, Now));
        var late = Assert.Throws<LedgerValidationException>(() => RecordingDecision.Decide(RecordingParser.ParseBatch(Batch(future), ActorRegistry.Default), AmendmentTargets.None, Now));

        Assert.Equal(["[0].retracts", "[1].with.initiator", "[2].retracts"], refused.Errors.Select(e => e.Field));
        Assert.StartsWith("no event", refused.Errors[0].Rule, StringComparison.Ordinal);
        Assert.Contains("only interactions can be amended", refused.Errors[2].Rule, StringComparison.Ordinal);
        Assert.Equal("occurredOn", Assert.Single(late.Errors).Field);
    }
}
