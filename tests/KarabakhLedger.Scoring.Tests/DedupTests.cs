using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Scoring.Aggregates;
using KarabakhLedger.Scoring.Dedup;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Tests;

/// <summary>Dedup rules as model data, and analysts' merges, in the pure fold.</summary>
public sealed class DedupTests
{
    private static readonly Dyad RusUkr = new("RUS", "UKR");
    private static readonly DateTimeOffset RecordedAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ScoreQuery Query = new ScoreQuery(new DateOnly(2022, 12, 31), RecordedAt.AddDays(1)) { Provenance = Domain.Provenance.ProvenanceFilter.All };
    private static readonly ScoringModel Plain = ModelCatalog.Bundled.Get("goldstein-gdelt@1");
    private static readonly ScoringModel OneADay = ModelCatalog.Bundled.Get("goldstein-gdelt-oneaday@1");

    private static Source Cite => new("Synthetic wire", "Generated for dedup tests", new Uri("https://example.org/dedup"), new DateOnly(2026, 1, 1));

    private static CodedInteraction Coded(string id, string day, string code = "190", string initiator = "RUS", string target = "UKR", string url = "https://news.example.org/a")
    {
        var facts = new InteractionFacts(
            Guid.NewGuid(), code, initiator, target, false, PartialDate.Parse(day), Theatre.BlackSeaUkraine, $"row {id}", [], [Cite]);
        return new CodedInteraction(facts, new EventDataProvenance(
            "gdelt2", "2.0", "gdelt2", "20220310.export.CSV", long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), id,
            new CodedSide(initiator, initiator), new CodedSide(target, target), code, SourceUrl: url));
    }

    private static DyadEvents Stream(params ILedgerEvent[] events) =>
        DyadEvents.Empty(RusUkr).Apply(events.Select((e, i) => new ProjectedEvent(100 + i, i + 1, RecordedAt.AddMinutes(i), $"hash{i}", e)));

    [Fact]
    public void A_merge_counts_its_events_once_as_the_earliest_and_names_the_rest_with_the_merge()
    {
        var first = Coded("1", "2022-03-10");
        var second = Coded("2", "2022-03-11");
        var third = Coded("3", "2022-03-12", "042");
        var merge = new InteractionsMerged(Guid.NewGuid(), [third.EventId, first.EventId, second.EventId], "one act", [Cite]);

        var (kept, setAside) = DedupFold.Apply(
            [new DedupCandidate(third, third.Facts, 3), new DedupCandidate(first, first.Facts, 1), new DedupCandidate(second, second.Facts, 2)], [merge], []);

        Assert.Equal([first.EventId], kept.Select(k => k.EventId));
        Assert.Equal([second.EventId, third.EventId], setAside.Select(a => a.SetAside.EventId));
        Assert.All(setAside, a => Assert.Equal((DedupRules.Merged, first.EventId, (Guid?)merge.EventId), (a.Rule, a.KeptEventId, a.MergeEventId)));
    }

    [Fact]
    public void Merges_that_share_an_event_join_into_one_group_and_only_counted_events_are_judged()
    {
        var a = Coded("1", "2022-03-10");
        var b = Coded("2", "2022-03-11");
        var c = Coded("3", "2022-03-12");
        var m1 = new InteractionsMerged(Guid.NewGuid(), [a.EventId, b.EventId], "x", [Cite]);
        var m2 = new InteractionsMerged(Guid.NewGuid(), [c.EventId, b.EventId], "y", [Cite]);

        var all = DedupFold.Apply([new(a, a.Facts, 1), new(b, b.Facts, 2), new(c, c.Facts, 3)], [m1, m2], []);
        var withoutFirst = DedupFold.Apply([new(b, b.Facts, 2), new(c, c.Facts, 3)], [m1, m2], []);

        Assert.Equal([a.EventId], all.Kept.Select(k => k.EventId));
        Assert.Equal([(b.EventId, m1.EventId), (c.EventId, m2.EventId)], all.SetAside.Select(s => (s.SetAside.EventId, s.MergeEventId!.Value)));
        Assert.Equal([b.EventId], withoutFirst.Kept.Select(k => k.EventId));
    }

    [Fact]
    public void One_a_day_keeps_the_earliest_of_a_source_target_code_and_day_and_the_score_drops_by_what_it_set_aside()
    {
        var kept = Coded("1", "2022-03-10");
        var again = Coded("2", "2022-03-10", url: "https://news.example.org/b");
        var reverse = Coded("3", "2022-03-10", initiator: "UKR", target: "RUS");
        var otherCode = Coded("4", "2022-03-10", "042");
        var otherDay = Coded("5", "2022-03-11");
        var curatedTwin = new StrikeCarriedOut(kept.Facts with { EventId = Guid.NewGuid() });
        var events = Stream(kept, again, reverse, otherCode, otherDay, curatedTwin);

        var plain = Scorer.Score(events, Query, Plain);
        var deduped = Scorer.Score(events, Query, OneADay);

        Assert.Equal(6, plain.Events);
        Assert.Empty(plain.SetAside);
        Assert.Equal(5, deduped.Events);
        var setAside = Assert.Single(deduped.SetAside);
        Assert.Equal((again.EventId, "one-a-day@1", kept.EventId, (Guid?)null, 101L, "hash1"),
            (setAside.EventId, setAside.Rule, setAside.KeptEventId, setAside.MergeEventId, setAside.Position, setAside.Hash));
        Assert.Equal(plain.Score - plain.Contributions.Single(c => c.EventId == again.EventId).Value, deduped.Score);
        Assert.Contains(deduped.Contributions, c => c.EventId == curatedTwin.EventId);
    }

    [Fact]
    public void Exact_duplicate_needs_the_same_source_document_and_ignores_rows_without_one()
    {
        var model = ModelCatalog.Bundled.Get("goldstein-icews-dedup@1");
        var kept = Coded("1", "2022-03-10");
        var twin = Coded("2", "2022-03-10");
        var otherReport = Coded("3", "2022-03-10", url: "https://news.example.org/b");
        var noUrl = Coded("4", "2022-03-10", url: "");
        var noUrlTwin = Coded("5", "2022-03-10", url: "");

        var result = Scorer.Score(Stream(kept, twin, otherReport, noUrl, noUrlTwin), Query, model);

        Assert.Equal(4, result.Events);
        var setAside = Assert.Single(result.SetAside);
        Assert.Equal((twin.EventId, "exact-duplicate@1", kept.EventId), (setAside.EventId, setAside.Rule, setAside.KeptEventId));
    }

    [Fact]
    public void A_merge_recorded_after_the_known_at_time_does_not_count_yet_and_aggregates_apply_merges_and_rules_alike()
    {
        var a = Coded("1", "2022-03-10");
        var b = Coded("2", "2022-03-10", url: "https://news.example.org/b");
        var c = Coded("3", "2022-03-11");
        var merge = new InteractionsMerged(Guid.NewGuid(), [a.EventId, c.EventId], "one", [Cite]);
        var events = Stream(a, b, c, merge);
        var beforeMerge = Query with { KnownAt = RecordedAt.AddMinutes(2) };

        var then = Scorer.Score(events, beforeMerge, Plain);
        var now = Scorer.Score(events, Query, OneADay);
        var aggregates = new DyadAggregates(new AggregateRequest(Query, AggregateBucket.Year, false, true), OneADay, Domain.Actors.ActorRegistry.Default);
        foreach (var e in events.ByPosition.Values)
        {
            aggregates.Add(e.RecordedAt, e.Event);
        }

        Assert.Equal(3, then.Events);
        Assert.Equal([a.EventId], now.Contributions.Select(x => x.EventId));
        Assert.Equal([(b.EventId, "one-a-day@1"), (c.EventId, DedupRules.Merged)], now.SetAside.Select(s => (s.EventId, s.Rule)));
        var row = Assert.Single(aggregates.Build().Rows);
        Assert.Equal((1, now.Net), (row.Events, row.GoldsteinSum));
    }

    [Fact]
    public void The_rules_are_model_data_in_the_digest_and_existing_models_are_unchanged()
    {
        var events = Stream(Coded("1", "2022-03-10"), Coded("2", "2022-03-11"));

        var plain = Scorer.Score(events, Query, Plain);
        var sameWeightsWithRules = Scorer.Score(events, Query, OneADay);

        Assert.Equal(["halfLifeDays", "weights"], Plain.Descriptor.Parameters.Keys);
        Assert.Empty(ModelCatalog.Bundled.Get("goldstein-icews@1").Dedup);
        Assert.Equal("exact-duplicate@1,one-a-day@1", OneADay.Descriptor.Parameters["dedup"]);
        Assert.Equal(plain.Score, sameWeightsWithRules.Score);
        Assert.NotEqual(plain.Digest, sameWeightsWithRules.Digest);
        Assert.Equal(sameWeightsWithRules.Digest, Scorer.Digest(OneADay.Descriptor, Query.AsOf, sameWeightsWithRules.Contributions));
        Assert.Equal(OneADay.Dedup, OneADay.WithHalfLife(30).Dedup);
    }

    [Fact]
    public void A_model_file_naming_an_unknown_or_repeated_rule_is_refused_with_the_rule_named()
    {
        static string Model(string dedup) =>
            $$"""{ "id": "x", "version": 1, "description": "", "weights": { "table": "cameo_goldstein.tsv", "code": "code", "weight": "goldstein" }, "halfLifeDays": 365, "dedup": {{dedup}} }""";

        var unknown = Assert.Throws<InvalidDataException>(() => ModelCatalog.Parse(Model("""["one-a-week@1"]"""), "x.json"));
        var twice = Assert.Throws<InvalidDataException>(() => ModelCatalog.Parse(Model("""["one-a-day@1", "one-a-day@1"]"""), "x.json"));

        Assert.Contains("No dedup rule 'one-a-week@1'; known: exact-duplicate@1, one-a-day@1", unknown.Message);
        Assert.Contains("dedup lists a rule twice", twice.Message);
    }
}
