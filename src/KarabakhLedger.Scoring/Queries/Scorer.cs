using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Scoring.Changes;
using KarabakhLedger.Scoring.Dedup;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>
/// The pure scoring fold. For each interaction that counts (see <see cref="ScoreQuery"/>):
/// <c>decayFactor = round(2^(−ageDays / halfLifeDays), 6)</c> and <c>value = round(weight × decayFactor, 6)</c>,
/// both rounded half to even; the score is the exact decimal sum of the values. Contributions are ordered by
/// effective date, then global position. A country dyad (two states) also counts the interactions of other actor
/// pairs that roll up into it (docs/adr/0010-country-dyad-roll-up.md). Before that, dedup (<see cref="DedupFold"/>:
/// the stream's merges, then the model's rules) sets aside interactions that repeat another; results list them.
/// </summary>
public static class Scorer
{
    public const int Decimals = 6;

    /// <summary>One exact dyad's score: the interactions of its own stream only.</summary>
    public static ScoreResult Score(DyadEvents events, ScoreQuery query, ScoringModel model) =>
        Score(events.Dyad, query, model, [Derive(events, query, model)]);

    /// <summary>
    /// A dyad's score from its contributions, wherever they were recorded (its own stream, and for a country dyad the
    /// streams that roll up into it). <see cref="ScoreResult.RolledUp"/> counts the contributions of other streams.
    /// </summary>
    public static ScoreResult Score(Dyad dyad, ScoreQuery query, ScoringModel model, IEnumerable<Contribution> contributions) =>
        Score(dyad, query, model, [new ContributionSet(dyad.Key, [.. contributions])]);

    /// <summary>A dyad's score from the derivations of the streams that count toward it, with what their dedup set aside.</summary>
    public static ScoreResult Score(Dyad dyad, ScoreQuery query, ScoringModel model, IReadOnlyList<ContributionSet> sets)
    {
        var ordered = Order(sets.SelectMany(s => s.Contributions));
        var figures = ScoreFigures.Of(model.Descriptor, query.AsOf, ordered);
        return new ScoreResult(
            dyad.Key,
            query.AsOf,
            query.KnownAt,
            model.Descriptor,
            figures.Score,
            figures.Cooperation,
            figures.Conflict,
            figures.Net,
            figures.Events,
            ordered.GroupBy(c => c.QuadClass).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            ordered.GroupBy(c => c.Direction).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Totals(g)),
            ordered.GroupBy(c => c.Theatre).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Totals(g)),
            ordered,
            figures.Digest,
            RolledUp(dyad, ordered))
        {
            Provenance = query.Provenance.ToString(),
            SetAside = [.. sets.SelectMany(s => s.SetAside).OrderBy(a => a.Position)],
        };
    }

    public static TimelineResult Timeline(DyadEvents events, DateOnly from, DateOnly to, Bucket bucket, ScoreQuery query, ScoringModel model) =>
        Timeline(events.Dyad, from, to, bucket, query, model, Contributions(events, query, model));

    /// <summary>A dyad's timeline from its contributions, wherever they were recorded (see <see cref="Score(Dyad, ScoreQuery, ScoringModel, IEnumerable{Contribution})"/>).</summary>
    public static TimelineResult Timeline(
        Dyad dyad, DateOnly from, DateOnly to, Bucket bucket, ScoreQuery query, ScoringModel model, IEnumerable<Contribution> contributions)
    {
        if (from > to)
        {
            throw new ArgumentException($"The timeline's start {from:yyyy-MM-dd} is after its end {to:yyyy-MM-dd}.", nameof(from));
        }

        var ordered = Order(contributions);
        var all = ordered.ToArray();
        var points = new List<TimelinePoint>();
        var next = 0;
        for (var start = BucketStart(from, bucket); start <= to; start = Next(start, bucket))
        {
            // In result order, so each bucket is the run of contributions after the previous one's.
            var end = Next(start, bucket).AddDays(-1);
            while (next < all.Length && Effective(all[next]) < start)
            {
                next++;
            }

            var first = next;
            while (next < all.Length && Effective(all[next]) <= end)
            {
                next++;
            }

            points.Add(Point(start, bucket, new ArraySegment<Contribution>(all, first, next - first)));
        }

        return new TimelineResult(dyad.Key, bucket, query.AsOf, query.KnownAt, model.Descriptor, points, RolledUp(dyad, ordered))
        {
            Provenance = query.Provenance.ToString(),
        };
    }

    /// <summary>The timeline bucket of <paramref name="bucket"/> size that starts on <paramref name="start"/>, over <paramref name="contributions"/>.</summary>
    public static TimelinePoint Point(DateOnly start, Bucket bucket, IEnumerable<Contribution> contributions)
    {
        var end = Next(start, bucket).AddDays(-1);
        var inside = Within(contributions, start, end).ToArray();
        return new TimelinePoint(
            Label(start, bucket), start, end, inside.Length,
            inside.Where(c => c.Weight > 0).Sum(c => c.Weight),
            inside.Where(c => c.Weight < 0).Sum(c => c.Weight),
            inside.Sum(c => c.Weight));
    }

    /// <summary>Every interaction of the dyad's own stream that counts at <paramref name="query"/>, with its weight, decay and value.</summary>
    public static IReadOnlyList<Contribution> Contributions(DyadEvents events, ScoreQuery query, ScoringModel model) =>
        Derive(events, query, model).Contributions;

    /// <summary>The dyad's own stream's contributions, and what the model's dedup rules and the stream's merges set aside.</summary>
    public static ContributionSet Derive(DyadEvents events, ScoreQuery query, ScoringModel model) =>
        Derive(events, query, model, _ => (events.Dyad.Key, null));

    /// <summary>
    /// The interactions of another actor pair's stream that count toward the country dyad <paramref name="country"/>:
    /// those whose two sides belonged, on the interaction's effective date and as <paramref name="registry"/> knew it
    /// at the query's known-at time, to the country dyad's two states (<see cref="ActorRegistry.CountryDyadOf(Dyad, DateOnly, DateTimeOffset)"/>).
    /// Each says how it rolled up in <see cref="Contribution.Via"/>.
    /// </summary>
    public static IReadOnlyList<Contribution> ContributionsToward(
        DyadEvents events, Dyad country, ScoreQuery query, ScoringModel model, ActorRegistry registry) =>
        DeriveToward(events, country, query, model, registry).Contributions;

    /// <summary>
    /// <see cref="ContributionsToward"/>, with what dedup set aside among the interactions that would have counted
    /// toward <paramref name="country"/>. Dedup runs over the stream's interactions that count at the query, before the
    /// roll-up: its keys name the recorded actors, so a stream is deduplicated the same whichever dyad asks.
    /// </summary>
    public static ContributionSet DeriveToward(DyadEvents events, Dyad country, ScoreQuery query, ScoringModel model, ActorRegistry registry)
    {
        if (events.Dyad == country)
        {
            return Derive(events, query, model);
        }

        return Derive(events, query, model, effective =>
            registry.CountryDyadOf(events.Dyad, effective, query.KnownAt) == country
                ? (country.Key, Via(registry, events.Dyad, effective, query.KnownAt))
                : null);
    }

    /// <summary>
    /// The reference roll-up: a country dyad's contributions over every stream given (those that do not roll up into
    /// it contribute nothing). The projections compute the same from the streams they know roll up into it.
    /// </summary>
    public static IReadOnlyList<Contribution> RolledUpContributions(
        Dyad country, IEnumerable<DyadEvents> streams, ScoreQuery query, ScoringModel model, ActorRegistry registry) =>
        Order(RolledUpDerivation(country, streams, query, model, registry).SelectMany(s => s.Contributions));

    /// <summary><see cref="RolledUpContributions"/>, one set per stream, with what dedup set aside in each.</summary>
    public static IReadOnlyList<ContributionSet> RolledUpDerivation(
        Dyad country, IEnumerable<DyadEvents> streams, ScoreQuery query, ScoringModel model, ActorRegistry registry) =>
        registry.IsCountryDyad(country)
            ? [.. streams.Select(s => DeriveToward(s, country, query, model, registry))]
            : [.. streams.Where(s => s.Dyad == country).Select(s => Derive(s, query, model))];

    private static ContributionSet Derive(
        DyadEvents events, ScoreQuery query, ScoringModel model, Func<DateOnly, (string CountedToward, string? Via)?> counts)
    {
        var history = events.KnownAt(query.KnownAt);
        var current = history.Current.ToArray();
        var byId = events.ByPosition.Values.ToDictionary(e => e.Event.EventId);
        var candidates = current
            .Where(c => query.Counts(c.Recorded) && ScoreQuery.EffectiveDate(c.Facts.OccurredOn) <= query.AsOf)
            .Select(c => new DedupCandidate(c.Recorded, c.Facts, byId[c.Recorded.EventId].Position));
        var (kept, verdicts) = DedupFold.Apply(candidates, history.Merges, model.Dedup);
        var keptIds = kept.Select(k => k.EventId).ToHashSet();
        var contributions = new List<Contribution>();
        foreach (var interaction in current.Where(c => keptIds.Contains(c.Recorded.EventId)))
        {
            if (counts(ScoreQuery.EffectiveDate(interaction.Facts.OccurredOn)) is { } toward)
            {
                contributions.Add(ContributionOf(
                    interaction, byId[interaction.Recorded.EventId], interaction.CorrectedBy is { } by ? byId[by] : null, query, model, events.Dyad, toward));
            }
        }

        var setAside = new List<SetAsideEvent>();
        foreach (var verdict in verdicts)
        {
            var facts = verdict.SetAside.Facts;
            if (counts(ScoreQuery.EffectiveDate(facts.OccurredOn)) is { } toward)
            {
                setAside.Add(new SetAsideEvent(
                    verdict.SetAside.EventId, TypeName(verdict.SetAside.Recorded), facts.OccurredOn.ToString(), facts.CameoCode, Direction(facts),
                    verdict.SetAside.Position, byId[verdict.SetAside.EventId].Hash, verdict.Rule, verdict.KeptEventId, verdict.MergeEventId,
                    verdict.Reason, events.Dyad.Key, toward.CountedToward));
            }
        }

        return new ContributionSet(events.Dyad.Key, Order(contributions)) { SetAside = [.. setAside.OrderBy(a => a.Position)] };
    }

    /// <summary>
    /// What one interaction as it stands (<paramref name="current"/>, recorded by <paramref name="recorded"/> and corrected
    /// by <paramref name="correction"/>, if any) contributes at <paramref name="query"/>: its weight, decay and value.
    /// </summary>
    internal static Contribution ContributionOf(
        CurrentInteraction current, ProjectedEvent recorded, ProjectedEvent? correction, ScoreQuery query, ScoringModel model, Dyad dyad,
        (string CountedToward, string? Via) toward)
    {
        var facts = current.Facts;
        var effective = ScoreQuery.EffectiveDate(facts.OccurredOn);
        var weight = model.WeightOf(facts.CameoCode);
        var age = query.AsOf.DayNumber - effective.DayNumber;
        var factor = DecayFactor(age, model.HalfLifeDays);
        return new Contribution(
            current.Recorded.EventId,
            TypeName(current.Recorded),
            facts.OccurredOn.ToString(),
            facts.CameoCode,
            CameoCatalog.Default.Get(facts.CameoCode).QuadClass,
            Direction(facts),
            facts.Theatre,
            weight,
            age,
            factor,
            Math.Round(weight * factor, Decimals, MidpointRounding.ToEven),
            recorded.Position,
            recorded.Hash,
            current.CorrectedBy,
            correction?.Hash,
            facts.Summary,
            facts.Sources,
            dyad.Key,
            toward.CountedToward,
            toward.Via);
    }

    internal static string TypeName(ILedgerEvent e) => EventTypes.NameOf(e);

    private static string Direction(InteractionFacts facts) => facts.Joint ? "joint" : $"{facts.Initiator}→{facts.Target}";

    private static string Via(ActorRegistry registry, Dyad recorded, DateOnly day, DateTimeOffset knownAt) =>
        string.Join("; ", new[] { recorded.A, recorded.B }
            .Select(code => registry.MembershipOf(code, day, knownAt)!)
            .Where(m => m.Actor != m.State)
            .Select(m => $"{m.Actor} as {m.State}{(m.Role is null ? "" : " " + m.Role)} ({m.Basis})"));

    /// <summary>Contributions in result order: by effective date, then global position.</summary>
    public static IReadOnlyList<Contribution> Order(IEnumerable<Contribution> contributions) =>
        [.. contributions.OrderBy(Effective).ThenBy(c => c.Position)];

    private static IReadOnlyList<RolledUpDyad> RolledUp(Dyad dyad, IReadOnlyList<Contribution> contributions) =>
        [.. contributions.Where(c => c.RecordedDyad != dyad.Key)
            .GroupBy(c => c.RecordedDyad, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RolledUpDyad(g.Key, g.Count()))];

    public static decimal DecayFactor(int ageDays, decimal halfLifeDays) =>
        Math.Round((decimal)Math.Pow(2, -(double)ageDays / (double)halfLifeDays), Decimals, MidpointRounding.ToEven);

    /// <summary>
    /// Lower-case hex SHA-256 of the UTF-8 JSON
    /// <c>{"model":{"id","version","parameters"},"asOf":"YYYY-MM-DD","contributions":[[eventId, hash, correctionHash|null, weight, decayFactor, value], …]}</c>
    /// with numbers written without trailing zeros and contributions in result order.
    /// </summary>
    public static string Digest(ModelDescriptor model, DateOnly asOf, IReadOnlyList<Contribution> contributions) =>
        Digest(model, asOf, contributions.Select(c => EncodedEntries.GetValue(c, static c => Encode(new DigestEntry(
            c.EventId, c.Hash, c.CorrectionHash, c.Weight, c.DecayFactor, c.Value)))));

    /// <summary>The digest of contributions given only by the parts it covers (as an audit bundle's verifier has them).</summary>
    public static string Digest(ModelDescriptor model, DateOnly asOf, IEnumerable<DigestEntry> contributions) =>
        Digest(model, asOf, contributions.Select(Encode));

    /// <summary>
    /// Hashes the document as <see cref="Utf8JsonWriter"/> writes it, minified: the head up to the contributions' opening
    /// bracket, the entries separated by commas, then the two closing brackets.
    /// </summary>
    private static string Digest(ModelDescriptor model, DateOnly asOf, IEnumerable<byte[]> entries)
    {
        var head = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(head))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("model");
            writer.WriteString("id", model.Id);
            writer.WriteNumber("version", model.Version);
            writer.WriteStartObject("parameters");
            foreach (var (name, value) in model.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("asOf", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteStartArray("contributions");
        }

        // Entries are small: they are gathered into a block and hashed a block at a time, not one native call each.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var filled = 0;
            void Append(ReadOnlySpan<byte> bytes)
            {
                if (filled + bytes.Length > block.Length)
                {
                    hash.AppendData(block, 0, filled);
                    filled = 0;
                }

                if (bytes.Length > block.Length)
                {
                    hash.AppendData(bytes);
                    return;
                }

                bytes.CopyTo(block.AsSpan(filled));
                filled += bytes.Length;
            }

            Append(head.WrittenSpan);
            var first = true;
            foreach (var entry in entries)
            {
                if (!first)
                {
                    Append(","u8);
                }

                Append(entry);
                first = false;
            }

            Append("]}"u8);
            hash.AppendData(block, 0, filled);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>
    /// Each contribution's digest entry, encoded once: contributions are immutable, and a change log scores the same
    /// ones at every event of a dyad (<see cref="Changes.OwnDerivations"/> carries them from one derivation to the next).
    /// </summary>
    private static readonly ConditionalWeakTable<Contribution, byte[]> EncodedEntries = new();

    /// <summary>One digest entry: <c>[eventId, hash, correctionHash|null, weight, decayFactor, value]</c>.</summary>
    private static byte[] Encode(DigestEntry c)
    {
        // One buffer and writer per thread, reset for each entry: a fresh derivation encodes every contribution.
        var buffer = entryBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = entryWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartArray();
        writer.WriteStringValue(c.EventId.ToString("D"));
        writer.WriteStringValue(c.Hash);
        if (c.CorrectionHash is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(c.CorrectionHash);
        }

        writer.WriteRawValue(LedgerJson.Format(c.Weight));
        writer.WriteRawValue(LedgerJson.Format(c.DecayFactor));
        writer.WriteRawValue(LedgerJson.Format(c.Value));
        writer.WriteEndArray();
        writer.Flush();

        return buffer.WrittenSpan.ToArray();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? entryBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? entryWriter;

    private static Breakdown Totals(IEnumerable<Contribution> contributions)
    {
        var list = contributions.ToArray();
        return new Breakdown(
            list.Length,
            list.Where(c => c.Weight > 0).Sum(c => c.Weight),
            list.Where(c => c.Weight < 0).Sum(c => c.Weight),
            list.Sum(c => c.Weight),
            list.Sum(c => c.Value));
    }

    /// <summary>The contributions a timeline counts in the period <paramref name="start"/>..<paramref name="end"/>: those whose effective date lies in it.</summary>
    public static IEnumerable<Contribution> Within(IEnumerable<Contribution> contributions, DateOnly start, DateOnly end) =>
        contributions.Where(c => Effective(c) is var effective && effective >= start && effective <= end);

    /// <summary>The day from which a contribution counts (<see cref="ScoreQuery.EffectiveDate"/>).</summary>
    public static DateOnly Effective(Contribution c) =>
        (DateOnly)EffectiveDates.GetValue(c, static c => ScoreQuery.EffectiveDate(Domain.Time.PartialDate.Parse(c.OccurredOn)));

    /// <summary>Each contribution's effective date, parsed once (as <see cref="EncodedEntries"/>, for the same reason).</summary>
    private static readonly ConditionalWeakTable<Contribution, object> EffectiveDates = new();

    /// <summary>The first day of the bucket of <paramref name="bucket"/> size holding <paramref name="day"/>.</summary>
    public static DateOnly BucketStart(DateOnly day, Bucket bucket) => bucket switch
    {
        Bucket.Month => new DateOnly(day.Year, day.Month, 1),
        Bucket.Quarter => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
        _ => new DateOnly(day.Year, 1, 1),
    };

    private static DateOnly Next(DateOnly start, Bucket bucket) => bucket switch
    {
        Bucket.Month => start.AddMonths(1),
        Bucket.Quarter => start.AddMonths(3),
        _ => start.AddYears(1),
    };

    private static string Label(DateOnly start, Bucket bucket) => bucket switch
    {
        Bucket.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        Bucket.Quarter => $"{start.Year}-Q{((start.Month - 1) / 3) + 1}",
        _ => start.Year.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>What a score's digest covers of one contribution (<see cref="Scorer.Digest(ModelDescriptor, DateOnly, IEnumerable{DigestEntry})"/>).</summary>
public sealed record DigestEntry(Guid EventId, string Hash, string? CorrectionHash, decimal Weight, decimal DecayFactor, decimal Value);
