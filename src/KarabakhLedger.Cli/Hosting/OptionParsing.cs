using KarabakhLedger.Domain.Dyads;
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
