using System.Text.Json;
using FsCheck.Xunit;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Scoring.Changes;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Tests;

/// <summary>
/// The incremental change computation (<see cref="OwnDerivations"/>, scored sides reused from one change to the next)
/// against the reference that derives every cut from scratch (<see cref="ScoreChanges.Own"/>, <see cref="Scorer.Derive(DyadEvents, ScoreQuery, ScoringModel)"/>),
/// over random streams of curated and imported interactions, corrections, retractions and merges.
/// </summary>
public sealed class ChangeComputationTests
{
    private static readonly Dyad RusUkr = new("RUS", "UKR");
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 22, 0, 0, TimeSpan.Zero);
    private static readonly Source Cite = new("Synthetic wire", "Generated for change tests", new Uri("https://example.org/changes"), new DateOnly(2026, 1, 1));
    private static readonly string[] Codes = [.. ModelCatalog.Bundled.Default.Weights.Keys
        .Where(c => Domain.Cameo.CameoCatalog.Default.TryGet(c, out _))
        .Order(StringComparer.Ordinal)
        .Where((_, i) => i % 17 == 0)];

    [Property(MaxTest = 40)]
    public bool Every_change_computed_incrementally_equals_the_reference(int seed)
    {
        var events = RandomStream(seed, 120);
        var model = ModelCatalog.Bundled.Default;
        var derivations = new OwnDerivations(RusUkr);
        var sides = new ChangeSides();
        foreach (var e in events.ByPosition.Values)
        {
            derivations.Append(e);
            var cause = new ChangeCause(e.Position, e.Event.EventId, Domain.Contracts.EventTypes.NameOf(e.Event), e.RecordedAt, RusUkr.Key);
            var query = derivations.QueryAt(cause);
            var before = sides.Of(query, model, derivations.At(e.Position - 1, query, model), []);
            var after = sides.Of(query, model, derivations.At(e.Position, query, model), []);
            var (kind, targets) = ScoreChanges.KindOf(e.Event);
            var change = ScoreChanges.Between(RusUkr, cause, 0, kind, targets, query, model, before, after);
            if (Json(change) != Json(ScoreChanges.Own(events, e.Position, model)))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 40)]
    public bool A_derivation_at_any_cut_and_question_equals_one_from_scratch(int seed)
    {
        var events = RandomStream(seed, 80);
        var random = new Random(seed);
        var derivations = new OwnDerivations(RusUkr);
        foreach (var e in events.ByPosition.Values)
        {
            derivations.Append(e);
        }

        ScoringModel[] models = [ModelCatalog.Bundled.Default, ModelCatalog.Bundled.Get("goldstein-gdelt-oneaday@1")];
        var positions = events.ByPosition.Keys.ToArray();
        for (var run = 0; run < 12; run++)
        {
            // Two questions over a run of consecutive cuts (the change log's and an analyst's, taking turns at random),
            // with repeats and cuts between events.
            var questions = Enumerable.Range(0, 2).Select(_ => (
                Query: new ScoreQuery(new DateOnly(2026, 11, 2).AddDays(-random.Next(2) * random.Next(400)), Start.AddMinutes(random.Next(4) == 0 ? random.Next(600) : 100_000))
                {
                    Provenance = random.Next(2) == 0 ? ProvenanceFilter.All : ProvenanceFilter.Curated,
                },
                Model: models[random.Next(2)])).ToArray();
            var from = random.Next(positions.Length);
            for (var i = from; i < Math.Min(positions.Length, from + 20); i += random.Next(4) == 0 ? 0 : 1)
            {
                var cut = positions[i] - random.Next(5) switch { 0 => 1, _ => 0 };
                var (query, model) = questions[random.Next(2)];
                var expected = Scorer.Derive(ScoreChanges.UpTo(events, cut), query, model);
                if (Json(derivations.At(cut, query, model)) != Json(expected))
                {
                    return false;
                }

                i += random.Next(8) == 0 ? 1 : 0;
            }
        }

        return true;
    }

    [Fact]
    public void An_event_before_the_last_held_is_refused()
    {
        var derivations = new OwnDerivations(RusUkr);
        var events = RandomStream(1, 2).ByPosition.Values.ToArray();
        derivations.Append(events[1]);

        var refused = Assert.Throws<ArgumentException>(() => derivations.Append(events[0]));
        Assert.Contains("is not after the last held", refused.Message, StringComparison.Ordinal);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>A stream of <paramref name="count"/> events at increasing positions, some recorded at the same instant.</summary>
    private static DyadEvents RandomStream(int seed, int count)
    {
        var random = new Random(seed);
        var interactions = new List<Guid>();
        var events = DyadEvents.Empty(RusUkr);
        var (position, recordedAt) = (10L, Start);
        for (var version = 1; version <= count; version++)
        {
            position += 1 + random.Next(3);
            recordedAt = recordedAt.AddMinutes(random.Next(3) == 0 ? 0 : random.Next(1, 90));
            var roll = random.Next(100);
            ILedgerEvent e = roll switch
            {
                < 8 when interactions.Count > 0 && Pick(random, interactions) is var corrected => new InteractionCorrected(
                    Guid.NewGuid(), corrected, Facts(random) with { EventId = corrected }, "corrected", [Cite]),
                < 13 when interactions.Count > 0 => new InteractionRetracted(Guid.NewGuid(), Pick(random, interactions), "retracted", [Cite]),
                < 17 when interactions.Count > 1 => new InteractionsMerged(
                    Guid.NewGuid(), [Pick(random, interactions), Pick(random, interactions)], "one act", [Cite]),
                < 45 => Coded(random),
                _ => new TalksHeld(Facts(random)),
            };
            if (e is InteractionEvent i)
            {
                interactions.Add(i.EventId);
            }

            events = events.Apply(new ProjectedEvent(position, version, recordedAt, $"hash{version}", e));
        }

        return events;
    }

    private static Guid Pick(Random random, List<Guid> ids) => ids[random.Next(ids.Count)];

    private static InteractionFacts Facts(Random random)
    {
        var day = new DateOnly(2024, 1, 1).AddDays(random.Next(1100));
        var date = random.Next(5) switch
        {
            0 => new PartialDate(day.Year),
            1 => new PartialDate(day.Year, day.Month),
            _ => PartialDate.FromDate(day),
        };
        var (initiator, target) = random.Next(2) == 0 ? ("RUS", "UKR") : ("UKR", "RUS");
        return new InteractionFacts(Guid.NewGuid(), Codes[random.Next(Codes.Length)], initiator, target, false, date, Theatre.BlackSeaUkraine, "synthetic", [], [Cite]);
    }

    /// <summary>An imported row; one in three repeats a document and day, so the one-a-day and exact-duplicate rules key it.</summary>
    private static CodedInteraction Coded(Random random)
    {
        var facts = Facts(random) with { OccurredOn = new PartialDate(2025, 3, 1 + random.Next(3)) };
        var id = random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new CodedInteraction(facts, new EventDataProvenance(
            "gdelt2", "2.0", "gdelt2", "20250301.export.CSV", random.Next(1, 9999), id,
            new CodedSide(facts.Initiator, facts.Initiator), new CodedSide(facts.Target, facts.Target), facts.CameoCode,
            SourceUrl: $"https://news.example.org/{random.Next(3)}"));
    }
}
