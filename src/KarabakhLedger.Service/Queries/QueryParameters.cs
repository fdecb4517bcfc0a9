using System.Globalization;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Service.Queries;

/// <summary>
/// Turns query-string and route text into domain values, with the CLI's meanings. A bad value throws
/// <see cref="LedgerValidationException"/> naming the parameter and its rule, which the service answers with 400.
/// </summary>
public static class QueryParameters
{
    /// <summary>A dyad such as <c>RUS-TUR</c> or <c>Türkiye-Ukraine</c>: two actors by code or name, in either order.</summary>
    public static Dyad Dyad(string text, string name = "dyad")
    {
        try
        {
            return Domain.Actors.ActorRegistry.Default.ResolveDyad(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new LedgerValidationException(name, e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>A date as the recording format writes it: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</summary>
    public static PartialDate? Date(string? text, string name) =>
        text is null ? null
        : PartialDate.TryParse(text, out var date, out var error) ? date
        : throw new LedgerValidationException(name, error);

    /// <summary>
    /// The bitemporal point of a score, timeline or derivation, as the CLI's <c>--as-of</c> and <c>--known-at</c> mean
    /// it. <paramref name="asOf"/> is valid time: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, a month or year
    /// meaning its last day; default today (UTC). <paramref name="knownAt"/> is transaction time: an ISO-8601 instant,
    /// or a date meaning its end; default now. Both defaults come from <paramref name="clock"/>.
    /// </summary>
    public static ScoreQuery Query(string? asOf, string? knownAt, TimeProvider clock, string? provenance = null)
    {
        var now = ScoreQuery.Now(clock);
        var day = Date(asOf, "asOf")?.End ?? now.AsOf;
        var instant = knownAt is null ? now.KnownAt
            : PartialDate.TryParse(knownAt, out var date, out _) ? new DateTimeOffset(date.End.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero)
            : DateTimeOffset.TryParse(knownAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var k) ? k
            : throw new LedgerValidationException("knownAt", "must be an ISO-8601 instant (2026-11-23T09:30:00Z) or a date");
        return new ScoreQuery(day, instant) { Provenance = Provenance(provenance) };
    }

    /// <summary>Which provenances count: <c>P[,P…]</c> of curated, gdelt1, gdelt2, icews, or <c>all</c>; default curated.</summary>
    public static Domain.Provenance.ProvenanceFilter Provenance(string? text) =>
        Domain.Provenance.ProvenanceFilter.TryParse(text, out var filter, out var error) ? filter : throw new LedgerValidationException("provenance", error);

    /// <summary>A model key (<c>id@version</c>, or an id for its latest version) the catalog knows; default <see cref="ModelCatalog.DefaultKey"/>.</summary>
    public static string Model(string? key, ModelCatalog models)
    {
        try
        {
            return models.Get(key ?? ModelCatalog.DefaultKey).Key;
        }
        catch (KeyNotFoundException e)
        {
            throw new LedgerValidationException("model", e.Message);
        }
    }

    public static Bucket Bucket(string? text) => text switch
    {
        null or "year" => Scoring.Queries.Bucket.Year,
        "quarter" => Scoring.Queries.Bucket.Quarter,
        "month" => Scoring.Queries.Bucket.Month,
        _ => throw new LedgerValidationException("bucket", "must be month, quarter or year"),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; null stays null.</summary>
    public static long? Number(string? text, string name, long min, long max) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new LedgerValidationException(name, $"must be a whole number from {min} to {max}");

    /// <summary>An event id: a UUID.</summary>
    public static Guid EventId(string text) =>
        Guid.TryParse(text, out var id) ? id : throw new LedgerValidationException("eventId", "must be a UUID");
}
