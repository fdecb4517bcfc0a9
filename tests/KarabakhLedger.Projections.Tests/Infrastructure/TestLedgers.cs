using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Projections.Tests.Infrastructure;

/// <summary>Real ledgers for the tests: throwaway SQLite files, the seed corpus, and synthetic interactions.</summary>
public static class TestLedgers
{
    private static readonly string Folder = TestFolders.Create("karabakh-projections-tests-").FullName;

    /// <summary>Dyads the synthetic events fall into.</summary>
    public static readonly IReadOnlyList<Dyad> SyntheticDyads =
    [
        new("RUS", "TUR"), new("ARM", "AZE"), new("AZE", "TUR"), new("RUS", "UKR"),
        new("TUR", "UKR"), new("ARM", "RUS"), new("AZE", "RUS"), new("FRA", "TUR"),
    ];

    /// <summary>CAMEO codes both bundled models weigh, so one ledger scores under either.</summary>
    public static readonly IReadOnlyList<string> CommonCodes = ModelCatalog.Bundled.Get("goldstein-gdelt@1").Weights.Keys
        .Intersect(ModelCatalog.Bundled.Get("goldstein-icews@1").Weights.Keys)
        .Where(c => Domain.Cameo.CameoCatalog.Default.TryGet(c, out _))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static string NewPath() => Path.Combine(Folder, $"{Guid.NewGuid():N}.db");

    /// <summary>A fresh SQLite ledger and the projection store beside it.</summary>
    public static async Task<(SqliteLedgerStore Ledger, SqliteSnapshotStore Snapshots)> NewSqliteAsync()
    {
        var path = NewPath();
        var ledger = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System);
        var snapshots = await SqliteSnapshotStore.OpenAsync(SqliteSnapshotStore.PathBesideLedger(path), TimeProvider.System);
        return (ledger, snapshots);
    }

    /// <summary>Records the seed corpus through the <see cref="LedgerRecorder"/>, as the CLI's seed command does.</summary>
    public static async Task<int> SeedCorpusAsync(ILedgerStore store)
    {
        var recorded = await new LedgerRecorder(store, EventSerializer.Default, TimeProvider.System).RecordAsync(SeedCorpus.Load());
        return recorded.Sum(r => r.Events.Count);
    }

    /// <summary>
    /// Appends <paramref name="count"/> synthetic events across <see cref="SyntheticDyads"/>, <paramref name="perAppend"/>
    /// to a transaction: mostly interactions, with some corrections and retractions of earlier synthetic events.
    /// </summary>
    public static async Task AppendSyntheticAsync(ILedgerStore store, int count, int seed, int perAppend = 100, CancellationToken cancellationToken = default)
    {
        var random = new Random(seed);
        var recorded = SyntheticDyads.ToDictionary(d => d, _ => new List<InteractionFacts>());
        var source = new Source("Synthetic wire", "Generated for projection tests", new Uri("https://example.org/synthetic"), new DateOnly(2025, 1, 1));
        for (var done = 0; done < count;)
        {
            var batch = new Dictionary<Dyad, List<EventToAppend>>();
            for (var i = 0; i < perAppend && done < count; i++, done++)
            {
                var dyad = SyntheticDyads[random.Next(SyntheticDyads.Count)];
                var earlier = recorded[dyad];
                var roll = random.NextDouble();
                ILedgerEvent e;
                if (roll < 0.04 && earlier.Count > 0)
                {
                    var target = earlier[random.Next(earlier.Count)];
                    e = new InteractionCorrected(NewId(random), target.EventId, target with { CameoCode = Code(random) }, "synthetic correction", [source]);
                }
                else if (roll < 0.07 && earlier.Count > 0)
                {
                    var index = random.Next(earlier.Count);
                    e = new InteractionRetracted(NewId(random), earlier[index].EventId, "synthetic retraction", [source]);
                    earlier.RemoveAt(index);
                }
                else
                {
                    var (initiator, target) = random.Next(2) == 0 ? (dyad.A, dyad.B) : (dyad.B, dyad.A);
                    var day = new DateOnly(2015, 1, 1).AddDays(random.Next(3650));
                    var facts = new InteractionFacts(
                        NewId(random), Code(random), initiator, target, false, PartialDate.FromDate(day), Theatre.SouthCaucasus,
                        $"Synthetic interaction {done} of seed {seed}", [], [source]);
                    earlier.Add(facts);
                    e = new TalksHeld(facts);
                }

                var serialized = EventSerializer.Default.Serialize(e);
                if (!batch.TryGetValue(dyad, out var list))
                {
                    batch[dyad] = list = [];
                }

                list.Add(new EventToAppend(e.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json));
            }

            await store.AppendAsync([.. batch.Select(b => new StreamAppend(b.Key.StreamId, ExpectedVersion.Any, b.Value))], cancellationToken);
        }
    }

    /// <summary>The dyad's events straight from the store, for scoring without any grain.</summary>
    public static async Task<DyadEvents> ReadDyadAsync(ILedgerStore store, Dyad dyad)
    {
        var events = DyadEvents.Empty(dyad);
        await foreach (var e in store.ReadStreamAsync(dyad.StreamId))
        {
            events = events.Apply(new ProjectedEvent(
                e.Position, e.StreamVersion, e.RecordedAt, e.Hash, EventSerializer.Default.Deserialize(e.Type, e.SchemaVersion, e.Data)));
        }

        return events;
    }

    /// <summary>
    /// What the projections must answer for <paramref name="dyad"/>, computed without any grain: the reference
    /// roll-up over every stream of the ledger (for a country dyad, the other actor pairs that roll up into it count).
    /// </summary>
    public static async Task<ScoreResult> ExpectedScoreAsync(ILedgerStore store, Dyad dyad, ScoreQuery query, ScoringModel model, ActorRegistry? actors = null) =>
        Scorer.Score(dyad, query, model, await ExpectedContributionsAsync(store, dyad, query, model, actors));

    /// <summary>The timeline the projections must answer, as <see cref="ExpectedScoreAsync"/>.</summary>
    public static async Task<TimelineResult> ExpectedTimelineAsync(
        ILedgerStore store, Dyad dyad, DateOnly from, DateOnly to, Bucket bucket, ScoreQuery query, ScoringModel model) =>
        Scorer.Timeline(dyad, from, to, bucket, query, model, (await ExpectedContributionsAsync(store, dyad, query, model, null)).SelectMany(s => s.Contributions));

    private static async Task<IReadOnlyList<ContributionSet>> ExpectedContributionsAsync(
        ILedgerStore store, Dyad dyad, ScoreQuery query, ScoringModel model, ActorRegistry? actors)
    {
        var streams = new List<DyadEvents>();
        foreach (var other in await DyadsAsync(store))
        {
            streams.Add(await ReadDyadAsync(store, other));
        }

        return Scorer.RolledUpDerivation(dyad, streams, query, model, actors ?? ActorRegistry.Default);
    }

    /// <summary>Every dyad with a stream in the ledger.</summary>
    public static async Task<IReadOnlyList<Dyad>> DyadsAsync(ILedgerStore store)
    {
        var streams = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var e in store.ReadAllAsync())
        {
            streams.Add(e.StreamId);
        }

        return [.. streams.Select(s => Dyad.TryFromStreamId(s, out var d) ? d : null).OfType<Dyad>()];
    }

    public static async Task<long> HeadAsync(ILedgerStore store)
    {
        var head = 0L;
        await foreach (var e in store.ReadAllAsync())
        {
            head = e.Position;
        }

        return head;
    }

    private static string Code(Random random) => CommonCodes[random.Next(CommonCodes.Count)];

    private static Guid NewId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
