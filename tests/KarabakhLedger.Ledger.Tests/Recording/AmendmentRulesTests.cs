using KarabakhLedger.Ledger.Recording;

namespace KarabakhLedger.Ledger.Tests.Recording;

/// <summary>The pure rule both stores run inside their appends, without a store.</summary>
public sealed class AmendmentRulesTests
{
    private static readonly Guid Event = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    [Fact]
    public void An_event_retracted_earlier_in_the_batch_refuses_every_later_amendment_of_it_only()
    {
        var first = new Amendment(Guid.NewGuid(), Event, Retracts: true);
        var errors = AmendmentRules.Check([], [
            (first, "[0].retracts"),
            (new Amendment(Guid.NewGuid(), Other, Retracts: true), "[1].retracts"),
            (new Amendment(Guid.NewGuid(), Event, Retracts: false), "[2].corrects"),
            (new Amendment(Guid.NewGuid(), Event, Retracts: true), "[3].retracts"),
        ]);

        Assert.Equal(["[2].corrects", "[3].retracts"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal($"{Event} was retracted by {first.Id} earlier in this batch; record it anew instead", e.Rule));
    }

    [Fact]
    public void A_stored_retraction_refuses_new_amendments_but_not_replays_of_stored_ones()
    {
        var correction = new Amendment(Guid.NewGuid(), Event, Retracts: false);
        var retraction = new Amendment(Guid.NewGuid(), Event, Retracts: true);
        var stored = new[] { correction, retraction, new Amendment(Guid.NewGuid(), Event, Retracts: true) };

        var replay = AmendmentRules.Check(stored, [(correction, "[0].corrects"), (retraction, "[1].retracts")]);
        var fresh = AmendmentRules.Check(stored, [(new Amendment(Guid.NewGuid(), Event, Retracts: false), "corrects")]);

        Assert.Empty(replay);
        Assert.Equal($"{Event} was retracted by {retraction.Id}; record it anew instead", Assert.Single(fresh).Rule);
    }

    [Fact]
    public void Corrections_alone_never_close_an_event()
    {
        var stored = new[] { new Amendment(Guid.NewGuid(), Event, Retracts: false) };

        Assert.Empty(AmendmentRules.Check(stored, [
            (new Amendment(Guid.NewGuid(), Event, Retracts: false), "[0].corrects"),
            (new Amendment(Guid.NewGuid(), Event, Retracts: true), "[1].retracts"),
        ]));
    }
}
