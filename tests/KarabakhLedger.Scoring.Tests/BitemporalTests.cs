using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Tests;

/// <summary>As-of (valid time) and known-at (transaction time) on the seed corpus.</summary>
public sealed class BitemporalTests
{
    private static readonly ScoringModel Model = ModelCatalog.Bundled.Default;

    private static async Task<string> StraitsClosure(SeededLedger ledger) =>
        (await ledger.EventsOf("RUS-TUR")).Select(e => e.Event).OfType<Domain.Interactions.StraitsClosed>().Single().EventId.ToString();

    [Fact]
    public async Task TUR_RUS_before_and_after_24_February_2022()
    {
        var ledger = new SeededLedger();
        await ledger.InitializeAsync();
        var state = await ledger.StateOf("TUR-RUS");
        var straits = await StraitsClosure(ledger);
        var knownNow = SeededLedger.SeededAt;

        var before = Scorer.Score(state, new ScoreQuery(new DateOnly(2022, 2, 23), knownNow), Model);
        var after = Scorer.Score(state, new ScoreQuery(new DateOnly(2022, 12, 31), knownNow), Model);

        Assert.DoesNotContain(before.Contributions, c => c.OccurredOn.StartsWith("2022-03", StringComparison.Ordinal) || c.OccurredOn.StartsWith("2022-04", StringComparison.Ordinal));
        Assert.All(before.Contributions, c => Assert.True(ScoreQuery.EffectiveDate(Domain.Time.PartialDate.Parse(c.OccurredOn)) <= new DateOnly(2022, 2, 23)));
        Assert.DoesNotContain(before.Contributions, c => c.EventId.ToString() == straits);
        Assert.Contains(after.Contributions, c => c.EventId.ToString() == straits);
        Assert.True(after.Events > before.Events);
        Assert.Equal(before.Contributions.Select(c => c.EventId), after.Contributions.Select(c => c.EventId).Take(before.Events));
        await ledger.DisposeAsync();
    }

    [Fact]
    public async Task A_month_dated_event_counts_from_the_last_day_of_its_month()
    {
        var ledger = new SeededLedger();
        await ledger.InitializeAsync();
        var state = await ledger.StateOf("RUS-TUR");
        var airspace = state.ByPosition.Values.Select(e => e.Event).OfType<Domain.Interactions.AirspaceClosed>().Single();
        var occurred = Domain.Time.PartialDate.Parse(airspace.Facts.OccurredOn.ToString());

        var dayBefore = Scorer.Score(state, new ScoreQuery(occurred.End.AddDays(-1), SeededLedger.SeededAt), Model);
        var lastDay = Scorer.Score(state, new ScoreQuery(occurred.End, SeededLedger.SeededAt), Model);

        Assert.Equal(Domain.Time.DatePrecision.Month, occurred.Precision);
        Assert.DoesNotContain(dayBefore.Contributions, c => c.EventId == airspace.EventId);
        var counted = Assert.Single(lastDay.Contributions, c => c.EventId == airspace.EventId);
        Assert.Equal(0, counted.AgeDays);
        Assert.Equal(1m, counted.DecayFactor);
        await ledger.DisposeAsync();
    }

    [Fact]
    public async Task A_correction_recorded_today_changes_the_score_known_now_not_the_score_known_yesterday()
    {
        var ledger = new SeededLedger();
        await ledger.InitializeAsync();
        var straits = await StraitsClosure(ledger);
        var yesterday = SeededLedger.SeededAt.AddDays(2);
        ledger.Clock.Advance(TimeSpan.FromDays(3));
        var today = ledger.Clock.GetUtcNow();
        var stored = (await ledger.Store.FindEventAsync(Guid.Parse(straits)))!;
        var original = JsonNode.Parse(stored.Data)!["facts"]!;
        var correction = new JsonObject
        {
            ["corrects"] = straits,
            ["reason"] = "Re-coded as a military blockade.",
            ["sources"] = original["sources"]!.DeepClone(),
            ["with"] = new JsonObject
            {
                ["type"] = "straits-closed",
                ["cameoCode"] = "191",
                ["initiator"] = original["initiator"]!.DeepClone(),
                ["target"] = original["target"]!.DeepClone(),
                ["occurredOn"] = original["occurredOn"]!.DeepClone(),
                ["theatre"] = original["theatre"]!.DeepClone(),
                ["summary"] = original["summary"]!.DeepClone(),
                ["sources"] = original["sources"]!.DeepClone(),
            },
        };
        await new LedgerRecorder(ledger.Store, EventSerializer.Default, ledger.Clock).RecordAsync(RecordingParser.ParseBatch(correction.ToJsonString(), ActorRegistry.Default));
        var state = await ledger.StateOf("RUS-TUR");
        var asOf = new DateOnly(2023, 1, 1);

        var knownYesterday = Scorer.Score(state, new ScoreQuery(asOf, yesterday), Model);
        var knownNow = Scorer.Score(state, new ScoreQuery(asOf, today), Model);

        var before = Assert.Single(knownYesterday.Contributions, c => c.EventId.ToString() == straits);
        var after = Assert.Single(knownNow.Contributions, c => c.EventId.ToString() == straits);
        Assert.NotEqual("191", before.CameoCode);
        Assert.Equal("191", after.CameoCode);
        Assert.NotNull(after.CorrectionHash);
        Assert.Equal(knownYesterday.Score - before.Value + after.Value, knownNow.Score);
        Assert.NotEqual(knownYesterday.Digest, knownNow.Digest);
        await ledger.DisposeAsync();
    }

    [Fact]
    public async Task A_retraction_removes_the_event_from_scores_known_after_it_only()
    {
        var ledger = new SeededLedger();
        await ledger.InitializeAsync();
        var straits = await StraitsClosure(ledger);
        var before = ledger.Clock.GetUtcNow();
        ledger.Clock.Advance(TimeSpan.FromHours(1));
        await new LedgerRecorder(ledger.Store, EventSerializer.Default, ledger.Clock).RecordAsync(RecordingParser.ParseBatch(
            new JsonObject { ["retracts"] = straits, ["reason"] = "test", ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "o", ["title"] = "t", ["document"] = "d", ["passage"] = "p" }) }.ToJsonString(), ActorRegistry.Default));
        var state = await ledger.StateOf("RUS-TUR");
        var asOf = new DateOnly(2023, 1, 1);

        Assert.Contains(Scorer.Score(state, new ScoreQuery(asOf, before), Model).Contributions, c => c.EventId.ToString() == straits);
        Assert.DoesNotContain(Scorer.Score(state, new ScoreQuery(asOf, ledger.Clock.GetUtcNow()), Model).Contributions, c => c.EventId.ToString() == straits);
        await ledger.DisposeAsync();
    }
}
