using System.CommandLine;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>Turns option text into domain values by the rules the HTTP API uses too (<see cref="QueryText"/>), naming the option in errors.</summary>
public static class OptionParsing
{
    /// <inheritdoc cref="QueryText.Dyad"/>
    public static Dyad? Dyad(string? text, string option, ActorRegistry actors) => text is null ? null : QueryText.Dyad(text, option, actors);

    /// <inheritdoc cref="QueryText.AskedOrder"/>
    public static string AskedOrder(string text, string option, ActorRegistry actors) => QueryText.AskedOrder(text, option, actors);

    /// <summary>The <c>--provenance</c> option every query takes.</summary>
    public static Option<string?> ProvenanceOption() => new("--provenance")
    {
        Description = $"Count only events of these provenances: one or more of {string.Join(", ", Provenances.All)} (comma-separated), or all. Default: curated.",
    };

    /// <inheritdoc cref="QueryText.Provenance"/>
    public static ProvenanceFilter Provenance(string? text, string option = "--provenance") => QueryText.Provenance(text, option);

    /// <inheritdoc cref="QueryText.Date"/>
    public static PartialDate? Date(string? text, string option) => QueryText.Date(text, option);
}
