using System.Text.RegularExpressions;

namespace KarabakhLedger.Ledger.Store;

/// <summary>The PostgreSQL schema names the ledger, its projections and its messages may live in.</summary>
public static partial class SchemaNames
{
    /// <summary>What makes a schema name usable, as errors say it.</summary>
    public const string Rule = "use lower-case letters, digits and '_', at most 63, not starting with a digit";

    /// <summary>True when <paramref name="schema"/> can be written into SQL unquoted and means itself.</summary>
    public static bool IsUsable(string schema) => Pattern().IsMatch(schema);

    /// <summary>Throws unless <paramref name="schema"/> <see cref="IsUsable">is usable</see>.</summary>
    public static void Check(string schema, string parameter)
    {
        if (!IsUsable(schema))
        {
            throw new ArgumentException($"'{schema}' is not a usable schema name: {Rule}.", parameter);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Pattern();
}
