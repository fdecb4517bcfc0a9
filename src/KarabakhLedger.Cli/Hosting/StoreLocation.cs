using KarabakhLedger.Stores;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>
/// Which ledger a command opens: <c>--store</c> if given, else the <c>LEDGER_STORE</c> environment variable,
/// else <c>ledger.db</c> in the user's data folder.
/// </summary>
public static class StoreLocation
{
    public const string EnvironmentVariable = "LEDGER_STORE";

    /// <exception cref="Domain.Validation.LedgerValidationException">the location cannot be used; names where it came from.</exception>
    public static LedgerLocation Resolve(string? option, CliContext context)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return LedgerLocation.Parse(option, "--store");
        }

        if (context.Environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return LedgerLocation.Parse(fromEnvironment, EnvironmentVariable);
        }

        return new SqliteLedgerLocation(Path.Combine(DataFolder(context), "ledger.db"));
    }

    /// <summary>The user's data folder for the ledger: <c>karabakh-ledger</c> under the local application data.</summary>
    public static string DataFolder(CliContext context)
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(data))
        {
            data = Path.Combine(context.Environment("HOME") ?? Path.GetTempPath(), ".local", "share");
        }

        return Path.Combine(data, "karabakh-ledger");
    }
}
