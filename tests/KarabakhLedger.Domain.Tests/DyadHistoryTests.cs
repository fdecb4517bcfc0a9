using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Domain.Tests;

public sealed class DyadHistoryTests
{
    private static InteractionFacts Facts(Guid id, string date) => new(
        id, "1246", "TUR", "RUS", false, PartialDate.Parse(date), Theatre.BlackSeaUkraine, "s", [],
        [new Source("o", "t", Document: "000", Passage: "p")]);

    [Fact]
    public void Corrections_replace_facts_and_retractions_remove_interactions_without_touching_the_originals()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var original = new StraitsClosed(Facts(a, "2022-02"));

        var correction = new InteractionCorrected(Guid.NewGuid(), a, Facts(a, "2022-03"), "date", []);
        var history = DyadHistory.From(
        [
            original,
            new AirspaceClosed(Facts(b, "2022-04")),
            correction,
            new InteractionRetracted(Guid.NewGuid(), b, "wrong", []),
        ]);

        var current = Assert.Single(history.Current);
        Assert.Equal("2022-03", current.Facts.OccurredOn.ToString());
        Assert.Equal(correction.EventId, current.CorrectedBy);
        Assert.Same(original, current.Recorded);
    }

    [Fact]
    public void Applying_an_event_twice_changes_nothing_and_amendments_of_unknown_events_are_ignored()
    {
        var e = new StraitsClosed(Facts(Guid.NewGuid(), "2022-02"));

        var history = DyadHistory.From([e, e, new InteractionCorrected(Guid.NewGuid(), Guid.NewGuid(), Facts(Guid.NewGuid(), "2020"), "x", [])]);

        Assert.Single(history.Current);
    }
}
