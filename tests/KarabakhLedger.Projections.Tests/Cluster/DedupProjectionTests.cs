using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>The dyad grains apply a model's dedup rules and the streams' merges exactly as the pure fold does, rolled up included.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DedupProjectionTests
{
    private static readonly ScoreQuery Query = FeedTests.Query with { Provenance = ProvenanceFilter.All };
    private static readonly Dyad TurUkr = new("TUR", "UKR");
    private static readonly Dyad BaykarUkr = new("BAYKAR", "UKR");
    private static readonly Source Cite = new("Synthetic wire", "Generated for dedup tests", new Uri("https://example.org/dedup"), new DateOnly(2025, 1, 1));

    private static CodedInteraction Coded(long id, string initiator, string target, string day, string code, string url) =>
        new(
            new InteractionFacts(Guid.NewGuid(), code, initiator, target, false, PartialDate.Parse(day), Theatre.BlackSeaUkraine, $"row {id}", [], [Cite]),
            new EventDataProvenance("gdelt2", "2.0", "gdelt2", "dedup.export.CSV", id, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new CodedSide(initiator, initiator), new CodedSide(target, target), code, SourceUrl: url));

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_dedup_model_and_a_merge_give_the_grains_the_pure_folds_results_for_the_country_dyad_and_its_company()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        var own = new[]
        {
            Coded(1, "TUR", "UKR", "2022-03-10", "042", "https://a.example.org/1"),
            Coded(2, "TUR", "UKR", "2022-03-10", "042", "https://a.example.org/1"),
            Coded(3, "TUR", "UKR", "2022-03-10", "042", "https://b.example.org/2"),
            Coded(4, "UKR", "TUR", "2022-03-11", "036", "https://a.example.org/3"),
            Coded(5, "TUR", "UKR", "2022-03-12", "036", "https://a.example.org/4"),
        };
        var company = new[]
        {
            Coded(6, "BAYKAR", "UKR", "2022-03-10", "061", "https://c.example.org/5"),
            Coded(7, "BAYKAR", "UKR", "2022-03-10", "061", "https://d.example.org/6"),
        };
        var merge = new InteractionsMerged(Guid.NewGuid(), [own[4].EventId, own[3].EventId], "One visit, reported on two days.", [Cite]);
        await AppendAsync(ledger, TurUkr, [.. own]);
        await AppendAsync(ledger, BaykarUkr, [.. company]);
        await AppendAsync(ledger, TurUkr, merge);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        foreach (var model in new[] { "goldstein-gdelt-oneaday@1", "goldstein-gdelt@1", "goldstein-icews-dedup@1" })
        {
            foreach (var dyad in new[] { TurUkr, BaykarUkr })
            {
                var expected = await TestLedgers.ExpectedScoreAsync(ledger, dyad, Query, ModelCatalog.Bundled.Get(model));
                var actual = await cluster.Projections.ScoreAsync(dyad, Query, model, Timeouts.Wait());
                Assert.Equal(Json.Of(expected), Json.Of(actual));
            }
        }

        var deduped = await cluster.Projections.ScoreAsync(TurUkr, Query, "goldstein-gdelt-oneaday@1", Timeouts.Wait());
        Assert.Equal(
            [(own[1].EventId, "exact-duplicate@1", own[0].EventId), (own[2].EventId, "one-a-day@1", own[0].EventId),
             (own[4].EventId, "merged", own[3].EventId), (company[1].EventId, "one-a-day@1", company[0].EventId)],
            deduped.SetAside.Select(s => (s.EventId, s.Rule, s.KeptEventId)));
        Assert.Equal(3, deduped.Events);
        Assert.Equal(merge.EventId, deduped.SetAside.Single(s => s.Rule == "merged").MergeEventId);
        Assert.Equal(BaykarUkr.Key, deduped.SetAside[^1].RecordedDyad);
        Assert.Equal(TurUkr.Key, deduped.SetAside[^1].CountedToward);
        var plain = await cluster.Projections.ScoreAsync(TurUkr, Query, "goldstein-gdelt@1", Timeouts.Wait());
        Assert.Equal(6, plain.Events);
        Assert.Equal([own[4].EventId], plain.SetAside.Select(s => s.EventId));
    }

    private static async Task AppendAsync(ILedgerStore ledger, Dyad dyad, params ILedgerEvent[] events) =>
        await ledger.AppendAsync([new StreamAppend(dyad.StreamId, ExpectedVersion.Any, [.. events.Select(e =>
        {
            var serialized = EventSerializer.Default.Serialize(e);
            return new EventToAppend(e.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json);
        })])]);
}
