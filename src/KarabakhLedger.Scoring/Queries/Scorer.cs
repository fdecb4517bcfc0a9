using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>
/// The pure scoring fold. For each interaction that counts (see <see cref="ScoreQuery"/>):
/// <c>decayFactor = round(2^(−ageDays / halfLifeDays), 6)</c> and <c>value = round(weight × decayFactor, 6)</c>,
/// both rounded half to even; the score is the exact decimal sum of the values. Contributions are ordered by
/// effective date, then global position.
/// </summary>
public static class Scorer
{
    public const int Decimals = 6;

    public static ScoreResult Score(DyadEvents events, ScoreQuery query, ScoringModel model)
    {
        var contributions = Contributions(events, query, model);
        var dyad = events.Dyad;
        return new ScoreResult(
            dyad.Key,
            query.AsOf,
            query.KnownAt,
            model.Descriptor,
            contributions.Sum(c => c.Value),
            contributions.Where(c => c.Weight > 0).Sum(c => c.Weight),
            contributions.Where(c => c.Weight < 0).Sum(c => c.Weight),
            contributions.Sum(c => c.Weight),
            contributions.Count,
            contributions.GroupBy(c => c.QuadClass).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            contributions.GroupBy(c => c.Direction).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Totals(g)),
            contributions.GroupBy(c => c.Theatre).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Totals(g)),
            contributions,
            Digest(model.Descriptor, query.AsOf, contributions));
    }

    public static TimelineResult Timeline(DyadEvents events, DateOnly from, DateOnly to, Bucket bucket, ScoreQuery query, ScoringModel model)
    {
        if (from > to)
        {
            throw new ArgumentException($"The timeline's start {from:yyyy-MM-dd} is after its end {to:yyyy-MM-dd}.", nameof(from));
        }

        var contributions = Contributions(events, query, model);
        var points = new List<TimelinePoint>();
        for (var start = BucketStart(from, bucket); start <= to; start = Next(start, bucket))
        {
            var end = Next(start, bucket).AddDays(-1);
            var inside = contributions.Where(c => Effective(c) >= start && Effective(c) <= end).ToArray();
            points.Add(new TimelinePoint(
                Label(start, bucket), start, end, inside.Length,
                inside.Where(c => c.Weight > 0).Sum(c => c.Weight),
                inside.Where(c => c.Weight < 0).Sum(c => c.Weight),
                inside.Sum(c => c.Weight)));
        }

        return new TimelineResult(events.Dyad.Key, bucket, query.AsOf, query.KnownAt, model.Descriptor, points);
    }

    /// <summary>Every interaction that counts at <paramref name="query"/>, with its weight, decay and value.</summary>
    public static IReadOnlyList<Contribution> Contributions(DyadEvents events, ScoreQuery query, ScoringModel model)
    {
        var history = events.KnownAt(query.KnownAt);
        var byId = events.ByPosition.Values.ToDictionary(e => e.Event.EventId);
        var contributions = new List<(DateOnly Effective, Contribution Contribution)>();
        foreach (var current in history.Current)
        {
            var facts = current.Facts;
            var effective = ScoreQuery.EffectiveDate(facts.OccurredOn);
            if (effective > query.AsOf)
            {
                continue;
            }

            var recorded = byId[current.Recorded.EventId];
            var correction = current.CorrectedBy is { } by ? byId[by] : null;
            var weight = model.WeightOf(facts.CameoCode);
            var age = query.AsOf.DayNumber - effective.DayNumber;
            var factor = DecayFactor(age, model.HalfLifeDays);
            contributions.Add((effective, new Contribution(
                current.Recorded.EventId,
                EventTypes.All.First(t => t.ClrType == current.Recorded.GetType()).Name,
                facts.OccurredOn.ToString(),
                facts.CameoCode,
                CameoCatalog.Default.Get(facts.CameoCode).QuadClass,
                facts.Joint ? "joint" : $"{facts.Initiator}→{facts.Target}",
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
                facts.Sources)));
        }

        return contributions
            .OrderBy(c => c.Effective)
            .ThenBy(c => c.Contribution.Position)
            .Select(c => c.Contribution)
            .ToArray();
    }

    public static decimal DecayFactor(int ageDays, decimal halfLifeDays) =>
        Math.Round((decimal)Math.Pow(2, -(double)ageDays / (double)halfLifeDays), Decimals, MidpointRounding.ToEven);

    /// <summary>
    /// Lower-case hex SHA-256 of the UTF-8 JSON
    /// <c>{"model":{"id","version","parameters"},"asOf":"YYYY-MM-DD","contributions":[[eventId, hash, correctionHash|null, weight, decayFactor, value], …]}</c>
    /// with numbers written without trailing zeros and contributions in result order.
    /// </summary>
    public static string Digest(ModelDescriptor model, DateOnly asOf, IReadOnlyList<Contribution> contributions)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
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
            foreach (var c in contributions)
            {
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
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

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

    private static DateOnly Effective(Contribution c) => ScoreQuery.EffectiveDate(Domain.Time.PartialDate.Parse(c.OccurredOn));

    private static DateOnly BucketStart(DateOnly day, Bucket bucket) => bucket switch
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
