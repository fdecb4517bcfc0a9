using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// The CAMEO codes one interaction type (or a multilateral act's host) admits: CAMEO roots (<c>12</c>, every
/// code under REJECT) and codes (<c>062</c>, with its sub-codes), each item admitting every code it prefixes.
/// </summary>
public sealed record TypeRule(string Type, IReadOnlyList<string> Items, string Meaning)
{
    public bool Admits(string cameoCode) => Items.Any(item => cameoCode.StartsWith(item, StringComparison.Ordinal));

    /// <summary>The admitted codes as people read them: roots as <c>12x</c>, codes as written.</summary>
    public string Codes => string.Join(", ", Items.Select(item => item.Length == 2 ? item + "x" : item));
}

/// <summary>
/// The typing rule of the recording format: an interaction's <c>cameoCode</c> must mean what its <c>type</c>
/// says (a refusal is never <c>military-support</c>). The rule is data, <c>Recording/interaction-types.tsv</c>:
/// one row per interaction type, and the row <c>host</c> for a multilateral act's <c>host.cameoCode</c>.
/// </summary>
public sealed class InteractionTyping
{
    /// <summary>The row of the table that applies to a multilateral act's host.</summary>
    public const string Host = "host";

    private readonly Dictionary<string, TypeRule> _rules;

    private InteractionTyping(IEnumerable<TypeRule> rules) => _rules = rules.ToDictionary(r => r.Type, StringComparer.Ordinal);

    public static InteractionTyping Default { get; } = Load();

    public IEnumerable<TypeRule> Rules => _rules.Values;

    public TypeRule For(string type) =>
        _rules.TryGetValue(type, out var rule) ? rule : throw new KeyNotFoundException($"No typing rule for '{type}'.");

    /// <summary>Null when <paramref name="type"/> admits <paramref name="cameoCode"/>; otherwise the rule it breaks.</summary>
    public string? Refuse(string type, string cameoCode)
    {
        var rule = For(type);
        if (rule.Admits(cameoCode))
        {
            return null;
        }

        var label = CameoCatalog.Default.TryGet(cameoCode, out var entry) ? $" is '{entry.Label}'" : " is not a CAMEO code";
        var subject = type == Host ? "a host" : $"type '{type}'";
        return $"{subject} admits CAMEO codes {rule.Codes} ({rule.Meaning}); {cameoCode}{label} (see docs/recording-format.md, typing rule)";
    }

    private static InteractionTyping Load()
    {
        const string name = "interaction-types.tsv";
        var rules = ReferenceTable.Read(name).Select(row => new TypeRule(
            row["type"], row["admits"].Split(' ', StringSplitOptions.RemoveEmptyEntries), row["meaning"])).ToList();
        var expected = EventTypes.Interactions.Select(t => t.Name).Append(Host).ToHashSet(StringComparer.Ordinal);
        var listed = rules.Select(r => r.Type).ToHashSet(StringComparer.Ordinal);
        if (!listed.SetEquals(expected) || listed.Count != rules.Count)
        {
            throw new InvalidDataException(
                $"{name} must list every interaction type and '{Host}' once; missing: {string.Join(", ", expected.Except(listed))}; unknown or repeated: {string.Join(", ", rules.Select(r => r.Type).GroupBy(t => t).Where(g => g.Count() > 1 || !expected.Contains(g.Key)).Select(g => g.Key))}");
        }

        foreach (var rule in rules)
        {
            var unknown = rule.Items.Where(item => !CameoCatalog.Default.TryGet(item, out _)).ToArray();
            if (rule.Items.Count == 0 || unknown.Length > 0)
            {
                throw new InvalidDataException($"{name}: '{rule.Type}' must admit CAMEO codes of cameo_goldstein.tsv (unknown: {string.Join(", ", unknown)}).");
            }
        }

        return new InteractionTyping(rules);
    }
}
