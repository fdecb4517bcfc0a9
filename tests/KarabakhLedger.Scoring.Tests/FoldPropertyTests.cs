using FsCheck;
using FsCheck.Xunit;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Tests;

/// <summary>Properties of the fold: delivery order, duplicates and replays never change a result.</summary>
public sealed class FoldPropertyTests(SeededLedger ledger) : IClassFixture<SeededLedger>
{
    private static readonly ScoringModel Model = ModelCatalog.Bundled.Default;

    private static ScoreQuery Query(int asOfOffsetDays, int knownAtOffsetHours) => new(
        new DateOnly(2023, 1, 1).AddDays(-Math.Abs(asOfOffsetDays % 4000)),
        SeededLedger.SeededAt.AddHours(Math.Abs(knownAtOffsetHours % 48) - 24));

    [Property(MaxTest = 150)]
    public bool Any_delivery_order_with_duplicates_and_replays_gives_the_same_score(int seed, PositiveInt copies, int asOf, int knownAt)
    {
        var events = ledger.EventsOf("RUS-TUR").GetAwaiter().GetResult();
        var random = new Random(seed);
        var delivered = Enumerable.Range(0, 1 + (copies.Get % 4))
            .SelectMany(_ => events.Where(_ => random.Next(3) > 0))
            .Concat(events)
            .OrderBy(_ => random.Next())
            .ToArray();
        var query = Query(asOf, knownAt);

        var inOrder = Scorer.Score(DyadEvents.Empty(new Dyad("RUS", "TUR")).Apply(events), query, Model);
        var shuffled = Scorer.Score(DyadEvents.Empty(new Dyad("RUS", "TUR")).Apply(delivered), query, Model);

        return inOrder.Digest == shuffled.Digest && inOrder.Score == shuffled.Score && inOrder.Events == shuffled.Events;
    }

    [Property(MaxTest = 100)]
    public bool The_score_is_exactly_the_sum_of_its_contributions(int asOf, int knownAt)
    {
        var state = ledger.StateOf("ARM-AZE").GetAwaiter().GetResult();

        var result = Scorer.Score(state, Query(asOf, knownAt), Model);

        return result.Score == result.Contributions.Sum(c => c.Value)
            && result.Net == result.Cooperation + result.Conflict
            && result.ByDirection.Values.Sum(b => b.Score) == result.Score
            && result.ByTheatre.Values.Sum(b => b.Events) == result.Events;
    }

    [Property(MaxTest = 100)]
    public bool Decay_is_between_zero_and_one_and_never_grows_with_age(NonNegativeInt age, PositiveInt more)
    {
        var young = Scorer.DecayFactor(age.Get % 20000, 365);
        var old = Scorer.DecayFactor((age.Get % 20000) + more.Get % 5000, 365);

        return young is >= 0 and <= 1 && old <= young;
    }

    [Fact]
    public void Decay_halves_every_half_life()
    {
        Assert.Equal(1m, Scorer.DecayFactor(0, 365));
        Assert.Equal(0.5m, Scorer.DecayFactor(365, 365));
        Assert.Equal(0.25m, Scorer.DecayFactor(730, 365));
        Assert.Equal(0.5m, Scorer.DecayFactor(90, 90));
    }
}
