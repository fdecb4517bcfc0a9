using System.Diagnostics;
using System.Globalization;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Benchmarks.Replay;

internal enum DyadDistribution
{
    /// <summary>Every dyad equally likely: about N / 946 events each.</summary>
    Uniform,

    /// <summary>Zipf (s = 1) over the dyads in a fixed shuffled order: the busiest dyad gets 1/H(n) of the events (~13 % of 946 dyads, ~9.4 % of 21,945).</summary>
    Zipf,
}

/// <summary>
/// Real ledger events in bulk: the interactions of the seed corpus as templates (their figures, sources and
/// summaries, so the JSON is as large as the corpus's), each one moved into a dyad of registered actors with a
/// fresh id, a random date and a CAMEO code both bundled models weigh; about 3 % corrections and 2 % retractions
/// of earlier interactions of the same dyad. Serialized with <see cref="EventSerializer.Default"/>, so the dyad grains
/// read them like any recorded event. Deterministic for a seed (except recording times and hashes, which the
/// store assigns).
/// </summary>
internal sealed class SyntheticLedger
{
    private const int RecentPerDyad = 32;

    private static readonly DateOnly FirstDay = new(1995, 1, 1);
    private static readonly Source Wire = new("Synthetic wire", "Generated for the replay benchmark", new Uri("https://example.org/bench"), new DateOnly(2025, 1, 1));

    private readonly Random _random;
    private readonly InteractionEvent[] _templates;
    private readonly string[] _codes;
    private readonly double[]? _cumulative;
    private readonly List<InteractionFacts>[] _recent;
    private int _template;

    /// <summary>The actors by default: 44 (946 dyads), the size of the registry these benchmarks were first measured with.</summary>
    public const int DefaultActors = 44;

    /// <param name="only">The dyads to write to (default: every dyad of the registry's first <paramref name="actorCount"/> actors).</param>
    /// <param name="actorCount">How many of the registry's actors, in code order, the dyads are made of: n·(n−1)/2 dyads.</param>
    public SyntheticLedger(DyadDistribution distribution, int seed = 4, IReadOnlyList<Dyad>? only = null, int actorCount = DefaultActors)
    {
        _random = new Random(seed);
        var actors = ActorRegistry.Default.All.Select(a => a.Code).Take(actorCount).ToArray();
        var dyads = new List<Dyad>();
        for (var i = 0; i < actors.Length && only is null; i++)
        {
            for (var j = i + 1; j < actors.Length; j++)
            {
                dyads.Add(new Dyad(actors[i], actors[j]));
            }
        }

        dyads.AddRange(only ?? []);

        Dyads = dyads;
        _recent = dyads.Select(_ => new List<InteractionFacts>()).ToArray();
        _codes = [.. ModelCatalog.Bundled.Get("goldstein-gdelt@1").Weights.Keys
            .Intersect(ModelCatalog.Bundled.Get("goldstein-icews@1").Weights.Keys)
            .Where(c => Domain.Cameo.CameoCatalog.Default.TryGet(c, out _))
            .Order(StringComparer.Ordinal)];
        _templates = [.. SeedCorpus.Load().OfType<InteractionRecording>().SelectMany(r => r.Events).Select(p => p.Event).OfType<InteractionEvent>()];
        if (distribution == DyadDistribution.Zipf)
        {
            // Zipf over a shuffled order of the dyads, so the busy ones are not all alphabetically first.
            var order = Enumerable.Range(0, dyads.Count).ToArray();
            new Random(seed + 1).Shuffle(order);
            var weights = new double[dyads.Count];
            for (var rank = 0; rank < order.Length; rank++)
            {
                weights[order[rank]] = 1.0 / (rank + 1);
            }

            _cumulative = new double[dyads.Count];
            var sum = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i];
                _cumulative[i] = sum;
            }

            for (var i = 0; i < _cumulative.Length; i++)
            {
                _cumulative[i] /= sum;
            }
        }
    }

    /// <summary>Every dyad of the actor registry (n·(n−1)/2 of them).</summary>
    public IReadOnlyList<Dyad> Dyads { get; }

    public int Templates => _templates.Length;

    /// <summary>
    /// One append of <paramref name="size"/> events: each event's dyad drawn at random, so consecutive positions
    /// mostly belong to different dyads, as in a ledger recorded article by article. The port writes each stream's
    /// part of an append contiguously.
    /// </summary>
    public IReadOnlyList<StreamAppend> NextAppend(int size)
    {
        var byDyad = new Dictionary<int, List<EventToAppend>>();
        for (var i = 0; i < size; i++)
        {
            var dyad = NextDyad();
            var e = NextEvent(dyad);
            var serialized = EventSerializer.Default.Serialize(e);
            if (!byDyad.TryGetValue(dyad, out var list))
            {
                byDyad[dyad] = list = [];
            }

            list.Add(new EventToAppend(e.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json));
        }

        return [.. byDyad.Select(d => new StreamAppend(Dyads[d.Key].StreamId, ExpectedVersion.Any, d.Value))];
    }

    /// <summary>
    /// Appends <paramref name="count"/> events through the port in appends of <paramref name="appendSize"/>, the next
    /// append generated while the store writes the current one. Prints progress every few seconds.
    /// </summary>
    public async Task<TimeSpan> LoadAsync(ILedgerStore store, long count, int appendSize, string label)
    {
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long done = 0;
        var next = Task.Run(() => NextAppend((int)Math.Min(appendSize, count)));
        while (done < count)
        {
            var append = await next;
            var size = append.Sum(a => a.Events.Count);
            done += size;
            var remaining = count - done;
            next = remaining > 0 ? Task.Run(() => NextAppend((int)Math.Min(appendSize, remaining))) : Task.FromResult<IReadOnlyList<StreamAppend>>([]);
            await store.AppendAsync(append);
            if (watch.Elapsed - lastReport >= TimeSpan.FromSeconds(10) || done == count)
            {
                lastReport = watch.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label} load: {done:N0}/{count:N0} events in {watch.Elapsed.TotalSeconds:F0} s ({Format.Rate(done / watch.Elapsed.TotalSeconds)} ev/s), load average {Machine.LoadAverage()}"));
            }
        }

        return watch.Elapsed;
    }

    private int NextDyad()
    {
        if (_cumulative is null)
        {
            return _random.Next(Dyads.Count);
        }

        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, Dyads.Count - 1);
    }

    private ILedgerEvent NextEvent(int dyadIndex)
    {
        var dyad = Dyads[dyadIndex];
        var recent = _recent[dyadIndex];
        var roll = _random.NextDouble();
        if (roll < 0.03 && recent.Count > 0)
        {
            var target = recent[_random.Next(recent.Count)];
            return new InteractionCorrected(NewId(), target.EventId, target with { CameoCode = Code() }, "synthetic correction", [Wire]);
        }

        if (roll < 0.05 && recent.Count > 0)
        {
            var index = _random.Next(recent.Count);
            var retracted = recent[index];
            recent.RemoveAt(index);
            return new InteractionRetracted(NewId(), retracted.EventId, "synthetic retraction", [Wire]);
        }

        var template = _templates[_template];
        _template = (_template + 1) % _templates.Length;
        var (initiator, targetActor) = _random.Next(2) == 0 ? (dyad.A, dyad.B) : (dyad.B, dyad.A);
        var day = FirstDay.AddDays(_random.Next(365 * 30));
        var facts = template.Facts with
        {
            EventId = NewId(),
            CameoCode = Code(),
            Initiator = initiator,
            Target = targetActor,
            Joint = false,
            OccurredOn = PartialDate.FromDate(day),
            CorrelationId = null,
            Participants = null,
        };
        recent.Add(facts);
        if (recent.Count > RecentPerDyad)
        {
            recent.RemoveAt(0);
        }

        return template with { Facts = facts };
    }

    private string Code() => _codes[_random.Next(_codes.Length)];

    private Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
