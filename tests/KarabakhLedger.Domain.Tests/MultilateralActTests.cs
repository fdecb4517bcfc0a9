using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Domain.Tests;

/// <summary>A multilateral act's fan-out: which events, in which order, with which ids.</summary>
public sealed class MultilateralActTests
{
    private static readonly Guid ActId = Guid.Parse("5d1f0c0e-3f6b-4c1e-9a0b-7c2e9d4f1a21");

    [Fact]
    public void Participants_pair_up_jointly_in_the_order_given_then_the_host_meets_each()
    {
        var act = new MultilateralAct(ActId, ["TUR", "RUS", "IRN"], new ActHost("KAZ", "043"));

        var pairs = act.FanOut("036").ToList();

        Assert.Equal(["RUS-TUR", "IRN-TUR", "IRN-RUS", "KAZ-TUR", "KAZ-RUS", "IRN-KAZ"], pairs.Select(p => p.Dyad.Key));
        Assert.All(pairs.Take(3), p => Assert.True(p.Joint && p.CameoCode == "036"));
        Assert.All(pairs.Skip(3), p => Assert.True(!p.Joint && p.CameoCode == "043" && p.Initiator == "KAZ"));
        Assert.Equal(["IRN", "KAZ", "RUS", "TUR"], act.Everyone);
    }

    [Fact]
    public void Each_event_id_comes_from_the_act_and_its_dyad_alone()
    {
        var once = new MultilateralAct(ActId, ["TUR", "RUS", "IRN"], null).FanOut("036").ToList();
        var again = new MultilateralAct(ActId, ["IRN", "TUR", "RUS"], null).FanOut("036").ToList();
        var other = new MultilateralAct(Guid.NewGuid(), ["TUR", "RUS", "IRN"], null).FanOut("036").ToList();

        Assert.Equal(once.Select(p => p.EventId).Order(), again.Select(p => p.EventId).Order());
        Assert.Empty(once.Select(p => p.EventId).Intersect(other.Select(p => p.EventId)));
        Assert.Equal(3, once.Select(p => p.EventId).Distinct().Count());
        Assert.Equal(MultilateralAct.EventId(ActId, new Dyad("TUR", "RUS")), once[0].EventId);
    }

    [Fact]
    public void The_parser_stores_what_the_act_fans_out_to()
    {
        var recording = (InteractionRecording)RecordingParser.ParseBatch($$"""
            {"id": "{{ActId}}", "type": "talks-held", "cameoCode": "036", "participants": ["TUR", "RUS", "IRN"],
             "host": {"actor": "KAZ", "cameoCode": "043"}, "occurredOn": "2017-01-23", "theatre": "syria",
             "summary": "Astana talks", "sources": [{"outlet": "o", "title": "t", "url": "https://example.org/a", "accessed": "2024-01-01"}]}
            """, ActorRegistry.Default).Single();

        var expected = new MultilateralAct(ActId, ["TUR", "RUS", "IRN"], new ActHost("KAZ", "043")).FanOut("036");
        Assert.Equal(expected.Select(p => (p.Dyad, p.EventId)), recording.Events.Select(e => (e.Dyad, e.Event.EventId)));
    }

    [Fact]
    public void It_refuses_fewer_than_two_participants_a_repeated_one_and_a_host_among_them()
    {
        Assert.Throws<ArgumentException>(() => new MultilateralAct(ActId, ["TUR"], null));
        Assert.Throws<ArgumentException>(() => new MultilateralAct(ActId, ["TUR", "RUS", "TUR"], null));
        Assert.Throws<ArgumentException>(() => new MultilateralAct(ActId, ["TUR", "RUS"], new ActHost("RUS", "043")));
    }
}
