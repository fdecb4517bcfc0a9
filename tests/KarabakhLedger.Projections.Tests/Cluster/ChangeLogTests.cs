using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Marten;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Changes;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Testing;
using Xunit.Abstractions;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>
/// The change log the dyad grains produce (docs/adr/0021-change-log-from-the-grains.md), on a real two-silo cluster over
/// real stores: each change names its cause and the buckets it revised, roll-ups appear on the country dyad, and
/// resuming from any position gives every later change once, in order, even after the feed's silo is killed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ChangeLogTests(ITestOutputHelper output)
{
    private static readonly Source Wire = new("Synthetic wire", "Generated for change-log tests", new Uri("https://example.org/changes"), new DateOnly(2025, 1, 1));
    private static readonly Dyad SauUsa = new("SAU", "USA");
    private static readonly ScoringModel Model = ModelCatalog.Bundled.Default;

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_late_recorded_event_yields_a_change_naming_the_year_it_revised_and_a_retraction_one_naming_the_retracted_event()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots);
        var recent = Interaction("2024-05-01");
        await AppendAsync(ledger, SauUsa, new TalksHeld(recent));
        await AppendAsync(ledger, SauUsa, new TalksHeld(Interaction("2024-06-01")));
        var late = Interaction("2020-03");
        var latePosition = await AppendAsync(ledger, SauUsa, new TalksHeld(late));
        var retraction = new InteractionRetracted(Guid.NewGuid(), recent.EventId, "withdrawn by the wire", [Wire]);
        var retractionPosition = await AppendAsync(ledger, SauUsa, retraction);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        await using var log = ChangeLog.For(snapshots);
        var changes = await log.ReadAsync(1, 0, new HashSet<string> { SauUsa.Key }, 100);

        Assert.Equal(4, changes.Count);
        Assert.All(changes.Take(2), c => Assert.Equal("2024", Assert.Single(c.Buckets).Label));
        var revised = changes[2];
        Assert.Equal((latePosition, late.EventId, ChangeKind.Recorded, 0), (revised.Position, revised.EventId, revised.Kind, revised.Sequence));
        var bucket = Assert.Single(revised.Buckets);
        Assert.Equal(("2020", new DateOnly(2020, 1, 1)), (bucket.Label, bucket.Start));
        Assert.Equal((0, 1), (bucket.Before.Events, bucket.After.Events));
        Assert.Equal((2, 3), (revised.Before.Events, revised.After.Events));
        var asked = new ScoreQuery(revised.AsOf, revised.KnownAt);
        var lateValue = Scorer.Score(ScoreChanges.UpTo(await TestLedgers.ReadDyadAsync(ledger, SauUsa), latePosition), asked, Model)
            .Contributions.Single(c => c.EventId == late.EventId).Value;
        Assert.Equal(lateValue, revised.After.Score - revised.Before.Score);

        var retracted = changes[3];
        Assert.Equal((retractionPosition, retraction.EventId, ChangeKind.Retracted), (retracted.Position, retracted.EventId, retracted.Kind));
        Assert.Equal([recent.EventId], retracted.TargetEventIds);
        Assert.Equal((3, 2), (retracted.Before.Events, retracted.After.Events));
        var emptied = Assert.Single(retracted.Buckets);
        Assert.Equal(("2024", 2, 1), (emptied.Label, emptied.Before.Events, emptied.After.Events));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_companys_event_appears_on_the_country_dyad_it_rolls_up_into()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots);
        var turUkr = new Dyad("TUR", "UKR");
        var baykarUkr = new Dyad("BAYKAR", "UKR");
        await AppendAsync(ledger, turUkr, new TalksHeld(Interaction("2022-02-01", "TUR", "UKR")));
        var sale = Interaction("2022-03-10", "BAYKAR", "UKR");
        var position = await AppendAsync(ledger, baykarUkr, new ArmsSold(sale));
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        await using var log = ChangeLog.For(snapshots);
        var atSale = (await log.ReadAsync(1, position, null, 100)).Where(c => c.Position == position).ToArray();

        Assert.Equal([baykarUkr.Key, turUkr.Key], atSale.Select(c => c.Dyad));
        Assert.Equal([0, 1], atSale.Select(c => c.Sequence));
        var rolled = atSale[1];
        Assert.Equal((ChangeKind.RolledUp, baykarUkr.Key, sale.EventId), (rolled.Kind, rolled.RecordedDyad, rolled.EventId));
        Assert.Contains("BAYKAR as TUR BUS", rolled.Via);
        Assert.Equal((1, 2), (rolled.Before.Events, rolled.After.Events));
        Assert.Equal("2022", Assert.Single(rolled.Buckets).Label);
        var expected = await TestLedgers.ExpectedScoreAsync(ledger, turUkr, new ScoreQuery(rolled.AsOf, rolled.KnownAt), Model);
        Assert.Equal((expected.Score, expected.Digest), (rolled.After.Score, rolled.After.Digest));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task On_sqlite_resuming_from_any_position_gives_every_later_change_once_even_after_the_feeds_silo_dies()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await ResumesFromAnyPositionAsync(ledger, snapshots, seed: 11);
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task On_postgres_resuming_from_any_position_gives_every_later_change_once_even_after_the_feeds_silo_dies()
    {
        var server = await PostgresServer.GetAsync();
        await using var ledgerSchema = server.NewSchema();
        await using var projectionSchema = server.NewSchema();
        await using var ledger = await MartenLedgerStore.OpenAsync(server.ConnectionString, TimeProvider.System, ledgerSchema.Name);
        await using var snapshots = await PostgresSnapshotStore.OpenAsync(server.ConnectionString, TimeProvider.System, projectionSchema.Name);
        await ResumesFromAnyPositionAsync(ledger, snapshots, seed: 12);
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task The_grains_answer_what_the_pure_fold_answers_at_any_bitemporal_point_of_a_random_history()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (9, 9));
        var random = new Random(21);
        for (var round = 0; round < 6; round++)
        {
            await TestLedgers.AppendSyntheticAsync(ledger, 40, seed: 100 + round, perAppend: 7);
        }

        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var recorded = new List<DateTimeOffset>();
        await foreach (var e in ledger.ReadAllAsync())
        {
            recorded.Add(e.RecordedAt);
        }

        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            var events = await TestLedgers.ReadDyadAsync(ledger, dyad);
            for (var i = 0; i < 5; i++)
            {
                var query = new ScoreQuery(new DateOnly(2015, 1, 1).AddDays(random.Next(4000)), recorded[random.Next(recorded.Count)]);
                Assert.Equal(Json.Of(Scorer.Score(events, query, Model)), Json.Of(await cluster.Projections.ScoreAsync(dyad, query, cancellationToken: Timeouts.Wait())));
                Assert.Equal(
                    Json.Of(Scorer.Score(events, query, Model) with { Contributions = [], SetAside = [] }),
                    Json.Of(await cluster.Projections.FiguresAsync(dyad, query, cancellationToken: Timeouts.Wait())));

                // Known later than every event, twice: the grain's kept score answers the second with its own known-at.
                foreach (var later in new[] { query with { KnownAt = DateTimeOffset.MaxValue.AddDays(-1) }, query with { KnownAt = DateTimeOffset.MaxValue.AddDays(-2) } })
                {
                    Assert.Equal(Json.Of(Scorer.Score(events, later, Model)), Json.Of(await cluster.Projections.ScoreAsync(dyad, later, cancellationToken: Timeouts.Wait())));
                }

                Assert.Equal(
                    Json.Of(Scorer.Timeline(events, new DateOnly(2015, 1, 1), new DateOnly(2025, 12, 31), Bucket.Quarter, query, Model)),
                    Json.Of(await cluster.Projections.TimelineAsync(dyad, new DateOnly(2015, 1, 1), new DateOnly(2025, 12, 31), Bucket.Quarter, query, cancellationToken: Timeouts.Wait())));
            }
        }
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task The_change_log_keeps_a_window_of_positions_and_says_where_it_begins()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize, o.ChangeLogRetention) = (10, 10, 30));
        await TestLedgers.AppendSyntheticAsync(ledger, 120, seed: 31, perAppend: 5);
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        await using var log = ChangeLog.For(snapshots);
        var floor = await log.FloorAsync(1);
        var kept = await log.ReadAsync(1, 0, null, 1000);

        Assert.Equal(caughtUp.Checkpoint - 30, floor);
        Assert.Equal(caughtUp.Checkpoint - floor, kept.Count);
        Assert.All(kept, c => Assert.True(c.Position > floor));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task A_replay_logs_no_change_until_it_goes_live_and_then_every_later_one()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (10, 10));
        await TestLedgers.AppendSyntheticAsync(ledger, 120, seed: 41, perAppend: 5);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());

        var replay = await cluster.Projections.ReplayAsync("goldstein-icews@1", cancellationToken: Timeouts.Wait());
        var live = (await cluster.Projections.GetGenerationsAsync()).Active;
        await using var log = ChangeLog.For(snapshots);
        Assert.Equal(replay.Generation.Id, live.Id);
        Assert.NotNull(live.ActivatedAtPosition);
        var switched = live.ActivatedAtPosition.Value;
        Assert.Equal(switched, await log.FloorAsync(live.Id));
        Assert.Empty(await log.ReadAsync(live.Id, 0, null, 1000));

        await TestLedgers.AppendSyntheticAsync(ledger, 30, seed: 42, perAppend: 5);
        var caughtUp = await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var logged = await log.ReadAsync(live.Id, 0, null, 1000);
        var icews = ModelCatalog.Bundled.Get("goldstein-icews@1");
        var byDyad = new Dictionary<Dyad, Scoring.Projection.DyadEvents>();
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            byDyad[dyad] = await TestLedgers.ReadDyadAsync(ledger, dyad);
        }

        var appended = byDyad.Values.SelectMany(d => d.ByPosition.Keys).Where(p => p > switched).Order().ToArray();
        Assert.Equal(caughtUp.Checkpoint - switched, appended.Length);
        Assert.Equal(appended, logged.Select(c => c.Position));
        Assert.All(logged, change => Assert.Equal(Json.Of(ScoreChanges.Own(byDyad[Dyad.Parse(change.Dyad)], change.Position, icews)), Json.Of(change)));
    }

    [Fact(Timeout = Timeouts.TestMilliseconds)]
    public async Task Projection_state_left_by_another_ledger_leaves_none_of_its_changes_in_the_log()
    {
        var (first, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var __ = snapshots;
        await using (first)
        {
            await TestLedgers.AppendSyntheticAsync(first, 30, seed: 41);
            await using var cluster = await TestProjectionCluster.StartAsync(first, snapshots, silos: 1);
            await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        }

        await using var second = await Ledger.Sqlite.SqliteLedgerStore.OpenAsync(TestLedgers.NewPath(), TimeProvider.System);
        await TestLedgers.AppendSyntheticAsync(second, 20, seed: 42);
        await using (var cluster = await TestProjectionCluster.StartAsync(second, snapshots, silos: 1))
        {
            await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        }

        await using var log = ChangeLog.For(snapshots);
        var ids = new List<Guid>();
        await foreach (var e in second.ReadAllAsync())
        {
            ids.Add(e.EventId);
        }

        Assert.Equal(ids, (await log.ReadAsync(1, 0, null, 1000)).Select(c => c.EventId));
    }

    /// <summary>
    /// A random history (interactions dated over ten years, recorded now; corrections; retractions) delivered in small
    /// batches while the feed's silo is killed: the log holds one entry per event, each equal to the pure fold's change
    /// at that position, and reading it from a random position in small pages gives exactly the later entries, once each.
    /// </summary>
    private async Task ResumesFromAnyPositionAsync(ILedgerStore ledger, ISnapshotStore snapshots, int seed)
    {
        await using var cluster = await TestProjectionCluster.StartAsync(ledger, snapshots, configure: o => (o.BatchSize, o.CatchUpBatchSize) = (13, 13));
        var feed = cluster.Feed(1);
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        var appending = Task.Run(() => TestLedgers.AppendSyntheticAsync(ledger, 400, seed, perAppend: 4));
        var status = await feed.WaitForPositionAsync(100, TimeSpan.FromSeconds(5)).WaitAsync(Timeouts.Wait());
        while (status.Checkpoint < 100)
        {
            await cluster.Projections.PokeAsync();
            status = await feed.WaitForPositionAsync(100, TimeSpan.FromSeconds(5)).WaitAsync(Timeouts.Wait());
        }

        await cluster.Cluster.KillSiloAsync(cluster.SiloOf(status.Silo));
        await appending.WaitAsync(Timeouts.Wait());
        Assert.True(status.Checkpoint < await TestLedgers.HeadAsync(ledger), "the kill came after the feed had finished");
        await cluster.Projections.CatchUpAsync(Timeouts.Wait());
        output.WriteLine($"killed the feed's silo at checkpoint {status.Checkpoint}; feed now {await feed.GetStatusAsync()}");

        await using var log = ChangeLog.For(snapshots);
        var all = await log.ReadAsync(1, 0, null, 100_000);
        var byDyad = new Dictionary<Dyad, Scoring.Projection.DyadEvents>();
        foreach (var dyad in TestLedgers.SyntheticDyads)
        {
            byDyad[dyad] = await TestLedgers.ReadDyadAsync(ledger, dyad);
        }

        var positions = byDyad.Values.SelectMany(d => d.ByPosition.Keys).Order().ToArray();
        Assert.Equal(400, positions.Length);
        Assert.Equal(positions, all.Select(c => c.Position));
        foreach (var change in all)
        {
            Assert.Equal(Json.Of(ScoreChanges.Own(byDyad[Dyad.Parse(change.Dyad)], change.Position, Model)), Json.Of(change));
        }

        var random = new Random(seed);
        for (var draw = 0; draw < 25; draw++)
        {
            var after = draw == 0 ? 0 : positions[random.Next(positions.Length)];
            var pageSize = 1 + random.Next(20);
            var read = new List<ScoreChange>();
            for (var from = after + 1; ;)
            {
                var page = await log.ReadAsync(1, from, null, pageSize);
                if (page.Count == 0)
                {
                    break;
                }

                read.AddRange(page);
                from = page[^1].Position + 1;
            }

            Assert.Equal(all.Where(c => c.Position > after).Select(Json.Of), read.Select(Json.Of));
        }
    }

    private static InteractionFacts Interaction(string occurredOn, string initiator = "SAU", string target = "USA") => new(
        Guid.NewGuid(), "036", initiator, target, false, PartialDate.Parse(occurredOn), Theatre.SouthCaucasus, $"A synthetic interaction of {occurredOn}.", [], [Wire]);

    private static async Task<long> AppendAsync(ILedgerStore ledger, Dyad dyad, ILedgerEvent e)
    {
        var serialized = EventSerializer.Default.Serialize(e);
        await ledger.AppendAsync([new StreamAppend(dyad.StreamId, ExpectedVersion.Any, [new EventToAppend(e.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json)])]);
        return (await ledger.FindEventAsync(e.EventId))!.Position;
    }
}
