using System.CommandLine;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>Turns option text into domain values, with errors that name the option and the rule.</summary>
public static class OptionParsing
{
    public static Dyad? Dyad(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return Domain.Actors.ActorRegistry.Default.ResolveDyad(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UserInputException($"{option}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>The dyad's two codes in the order <paramref name="text"/> gives them (<see cref="Domain.Actors.ActorRegistry.AskedOrder"/>), for a title.</summary>
    public static string AskedOrder(string text, string option)
    {
        try
        {
            return Domain.Actors.ActorRegistry.Default.AskedOrder(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UserInputException($"{option}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <summary>The <c>--provenance</c> option every query takes.</summary>
    public static Option<string?> ProvenanceOption() => new("--provenance")
    {
        Description = $"Count only events of these provenances: one or more of {string.Join(", ", Provenances.All)} (comma-separated), or all. Default: curated.",
    };

    public static ProvenanceFilter Provenance(string? text, string option = "--provenance") =>
        ProvenanceFilter.TryParse(text, out var filter, out var error) ? filter : throw new UserInputException($"{option}: {error}");

    public static PartialDate? Date(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return PartialDate.TryParse(text, out var date, out var error)
            ? date
            : throw new UserInputException($"{option}: {error}");
    }
}
