using System.Globalization;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>
/// The one reading of a query's options from text, for the CLI's options and the HTTP API's query string alike:
/// the dyad, the bitemporal point (<c>asOf</c>, <c>knownAt</c>), provenance, model, bucket and dates, with the same
/// rules and defaults everywhere (docs/scoring.md). Each front end passes the name the user typed
/// (<c>--known-at</c> or <c>knownAt</c>); a bad value throws <see cref="LedgerValidationException"/> naming it and
/// the rule.
/// </summary>
public static class QueryText
{
    /// <summary>A dyad such as <c>RUS-TUR</c> or <c>Türkiye-Ukraine</c>: two actors by code or name, in either order.</summary>
    public static Dyad Dyad(string text, string field, ActorRegistry actors)
    {
        try
        {
            return actors.ResolveDyad(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Refused(field, e);
        }
    }

    /// <summary>The dyad's two codes in the order <paramref name="text"/> gives them (<c>TUR-RUS</c>), for titles.</summary>
    public static string AskedOrder(string text, string field, ActorRegistry actors)
    {
        try
        {
            return actors.AskedOrder(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Refused(field, e);
        }
    }

    /// <summary>A date as the recording format writes it: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>; null stays null.</summary>
    public static PartialDate? Date(string? text, string field) =>
        text is null ? null
        : PartialDate.TryParse(text, out var date, out var error) ? date
        : throw new LedgerValidationException(field, error);

    /// <summary>A transaction-time instant: ISO 8601 (<c>2026-11-23T09:30:00Z</c>, UTC unless it says otherwise), or a date meaning its end; null stays null.</summary>
    public static DateTimeOffset? Instant(string? text, string field) =>
        text is null ? null
        : PartialDate.TryParse(text, out var date, out _) ? new DateTimeOffset(date.End.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) ? instant
        : throw new LedgerValidationException(field, $"'{text}' must be an ISO 8601 instant (2026-11-23T09:30:00Z) or a date");

    /// <summary>Which provenances count: <c>P[,P…]</c> of curated, gdelt1, gdelt2, icews, or <c>all</c>; default curated.</summary>
    public static ProvenanceFilter Provenance(string? text, string field) =>
        ProvenanceFilter.TryParse(text, out var filter, out var error) ? filter : throw new LedgerValidationException(field, error);

    /// <summary>
    /// The bitemporal point of a score, timeline or derivation. <paramref name="asOf"/> is valid time: a date, a month
    /// or year meaning its last day; default today (UTC). <paramref name="knownAt"/> is transaction time
    /// (<see cref="Instant"/>); default now. Both defaults come from <paramref name="clock"/>.
    /// </summary>
    public static ScoreQuery Point(string? asOf, string? knownAt, string? provenance, TimeProvider clock, QueryFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var now = ScoreQuery.Now(clock);
        return new ScoreQuery(Date(asOf, fields.AsOf)?.End ?? now.AsOf, Instant(knownAt, fields.KnownAt) ?? now.KnownAt)
        {
            Provenance = Provenance(provenance, fields.Provenance),
        };
    }

    /// <summary>A model key (<c>id@version</c>, or an id for its latest version) the catalog knows; default <see cref="ModelCatalog.DefaultKey"/>.</summary>
    public static string Model(string? key, string field, ModelCatalog? models = null)
    {
        try
        {
            return (models ?? ModelCatalog.Bundled).Get(key ?? ModelCatalog.DefaultKey).Key;
        }
        catch (KeyNotFoundException e)
        {
            throw new LedgerValidationException(field, e.Message);
        }
    }

    /// <summary>A timeline's bucket: <c>month</c>, <c>quarter</c> or <c>year</c> (the default).</summary>
    public static Bucket Bucket(string? text, string field) => text switch
    {
        null or "year" => Queries.Bucket.Year,
        "quarter" => Queries.Bucket.Quarter,
        "month" => Queries.Bucket.Month,
        _ => throw new LedgerValidationException(field, "must be month, quarter or year"),
    };

    private static LedgerValidationException Refused(string field, Exception e) => new(field, e.Message.Split(" (Parameter", 2)[0]);
}

/// <summary>What the options of a bitemporal point are called where the user types them.</summary>
public sealed record QueryFields(string AsOf, string KnownAt, string Provenance)
{
    /// <summary>The HTTP API's query-string names.</summary>
    public static QueryFields Http { get; } = new("asOf", "knownAt", "provenance");

    /// <summary>The CLI's option names.</summary>
    public static QueryFields Cli { get; } = new("--as-of", "--known-at", "--provenance");
}
