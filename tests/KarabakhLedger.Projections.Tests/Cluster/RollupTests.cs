using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>Country dyads roll up the other actor pairs of their states, on a real cluster over both stores.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RollupTests
{
    private static readonly ScoreQuery Query = FeedTests.Query;
    private static readonly Dyad TurUkr = new("TUR", "UKR");
    private static readonly Dyad BaykarUkr = new("BAYKAR", "UKR");

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task On_sqlite_a_country_dyad_counts_its_companies_events_and_names_them()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await RollsUpTheSeedCorpusAsync(ledger, snapshots);
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task On_postgres_a_country_dyad_counts_its_companies_events_and_names_them()
    {
        var server = await PostgresServer.GetAsync();
        await using var ledgerSchema = server.NewSchema();
        await using var projectionSchema = server.NewSchema();
        await using var ledger = await MartenLedgerStore.OpenAsync(server.ConnectionString, TimeProvider.System, ledgerSchema.Name);
        await using var snapshots = await PostgresSnapshotStore.OpenAsync(server.ConnectionString, TimeProvider.System, projectionSchema.Name);
        await RollsUpTheSeedCorpusAsync(ledger, snapshots);
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task An_affiliation_recorded_later_rolls_an_event_up_only_as_known_after_it()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        var nkrAze = new Dyad("NKR", "AZE");
        var facts = new InteractionFacts(
            Guid.NewGuid(), "190", "AZE", "NKR", false, PartialDate.Parse("2020-10"), Theatre.SouthCaucasus, "A synthetic strike.", [],
            [new Source("Synthetic wire", "Generated for roll-up tests", new Uri("https://example.org/rollup"), new DateOnly(2025, 1, 1))]);
        var serialized = EventSerializer.Default.Serialize(new StrikeCarriedOut(facts));
        await ledger.AppendAsync([new StreamAppend(nkrAze.StreamId, ExpectedVersion.NoStream, [new EventToAppend(facts.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json)])]);
        var recodedAt = (await ledger.FindEventAsync(facts.EventId))!.RecordedAt.AddDays(30);
        var actors = ActorRegistry.Default.WithAffiliations(
        [
            .. ActorRegistry.Default.Affiliations,
            new Affiliation("NKR", "ARM", "SEP", new DateOnly(1991, 9, 2), new DateOnly(2023, 9, 28), recodedAt, "recoded for the test"),
        ]);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, actors: actors);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var armAze = new Dyad("ARM", "AZE");

        var before = await cluster.Projections.ScoreAsync(armAze, new ScoreQuery(Query.AsOf, recodedAt.AddTicks(-1)), cancellationToken: Timeouts.Wait());
        var after = await cluster.Projections.ScoreAsync(armAze, new ScoreQuery(Query.AsOf, recodedAt), cancellationToken: Timeouts.Wait());

        Assert.Empty(before.Contributions);
        Assert.Empty(before.RolledUp);
        var counted = Assert.Single(after.Contributions);
        Assert.Equal((facts.EventId, nkrAze.Key, armAze.Key), (counted.EventId, counted.RecordedDyad, counted.CountedToward));
        Assert.Contains("NKR as ARM SEP", counted.Via);
        Assert.Equal([new RolledUpDyad(nkrAze.Key, 1)], after.RolledUp);
        Assert.Equal(
            Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, armAze, new ScoreQuery(Query.AsOf, recodedAt), ModelCatalog.Bundled.Default, actors)),
            Json.Of(after));
        var exact = await cluster.Projections.ScoreAsync(nkrAze, Query, cancellationToken: Timeouts.Wait());
        Assert.Equal(facts.EventId, Assert.Single(exact.Contributions).EventId);
    }

    private static async Task RollsUpTheSeedCorpusAsync(ILedgerStore ledger, ISnapshotStore snapshots)
    {
        await TestLedgers.SeedCorpusAsync(ledger);
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        var country = await cluster.Projections.ScoreAsync(TurUkr, Query, cancellationToken: Timeouts.Wait());
        var company = await cluster.Projections.ScoreAsync(BaykarUkr, Query, cancellationToken: Timeouts.Wait());
        var own = await TestLedgers.ReadDyadAsync(ledger, TurUkr);

        Assert.Equal(Json.Of(await TestLedgers.ExpectedScoreAsync(ledger, TurUkr, Query, ModelCatalog.Bundled.Default)), Json.Of(country));
        Assert.NotEmpty(company.Contributions);
        Assert.Empty(company.RolledUp);
        Assert.All(company.Contributions, c => Assert.Equal((BaykarUkr.Key, BaykarUkr.Key, (string?)null), (c.RecordedDyad, c.CountedToward, c.Via)));
        Assert.Equal([new RolledUpDyad(BaykarUkr.Key, company.Contributions.Count)], country.RolledUp);
        Assert.Equal(own.Count + company.Contributions.Count, country.Events);
        Assert.Equal(company.Score + Scorer.Score(own, Query, ModelCatalog.Bundled.Default).Score, country.Score);
        Assert.All(country.Contributions.Where(c => c.RecordedDyad == BaykarUkr.Key), c =>
        {
            Assert.Equal(TurUkr.Key, c.CountedToward);
            Assert.Contains("BAYKAR as TUR BUS", c.Via);
        });

        var timeline = await cluster.Projections.TimelineAsync(TurUkr, new DateOnly(2018, 1, 1), new DateOnly(2022, 12, 31), Bucket.Year, Query, cancellationToken: Timeouts.Wait());
        Assert.Equal(country.Events, timeline.Points.Sum(p => p.Events));
        Assert.Equal(country.RolledUp, timeline.RolledUp);

        var rusTur = await cluster.Projections.ScoreAsync(new Dyad("RUS", "TUR"), Query, cancellationToken: Timeouts.Wait());
        Assert.Contains(rusTur.RolledUp, r => r.Dyad == new Dyad("BAYKAR", "RUS").Key);
    }
}
