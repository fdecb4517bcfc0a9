using System.Globalization;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// Turns query-string and route text into domain values by the CLI's rules (<see cref="QueryText"/>), under the
/// HTTP API's parameter names. A bad value throws <see cref="LedgerValidationException"/> naming the parameter and
/// its rule, which the service answers with 400.
/// </summary>
public static class QueryParameters
{
    /// <inheritdoc cref="QueryText.Dyad"/>
    public static Dyad Dyad(string text, ActorRegistry actors, string name = "dyad") => QueryText.Dyad(text, name, actors);

    /// <inheritdoc cref="QueryText.Date"/>
    public static PartialDate? Date(string? text, string name) => QueryText.Date(text, name);

    /// <inheritdoc cref="QueryText.Point"/>
    public static ScoreQuery Query(string? asOf, string? knownAt, TimeProvider clock, string? provenance = null) =>
        QueryText.Point(asOf, knownAt, provenance, clock, QueryFields.Http);

    /// <inheritdoc cref="QueryText.Provenance"/>
    public static Domain.Provenance.ProvenanceFilter Provenance(string? text) => QueryText.Provenance(text, "provenance");

    /// <inheritdoc cref="QueryText.Model"/>
    public static string Model(string? key, ModelCatalog models) => QueryText.Model(key, "model", models);

    /// <inheritdoc cref="QueryText.Bucket"/>
    public static Bucket Bucket(string? text) => QueryText.Bucket(text, "bucket");

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; null stays null.</summary>
    public static long? Number(string? text, string name, long min, long max) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new LedgerValidationException(name, $"must be a whole number from {min} to {max}");

    /// <summary>An event id: a UUID.</summary>
    public static Guid EventId(string text) =>
        Guid.TryParse(text, out var id) ? id : throw new LedgerValidationException("eventId", "must be a UUID");
}
