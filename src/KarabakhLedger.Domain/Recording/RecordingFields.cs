namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// The fields each kind of object of the recording format takes, in the order the format lists them, and which of
/// them it requires. One definition for the readers, which refuse any other field, and for the HTTP API's schemas,
/// which describe exactly these (docs/recording-format.md).
/// </summary>
public static class RecordingFields
{
    /// <summary>An interaction: bilateral (<see cref="BilateralParties"/>) or multilateral (<see cref="MultilateralParties"/>).</summary>
    public static FieldSet Interaction { get; } = new(
        ["id", "type", "cameoCode", "initiator", "target", "joint", "participants", "host", "occurredOn", "theatre", "summary", "figures", "sources", "note", "agreement", "stance"],
        ["type", "cameoCode", "occurredOn", "theatre", "summary", "sources"]);

    /// <summary>The parties of a bilateral interaction; initiator and target are required.</summary>
    public static FieldSet BilateralParties { get; } = new(["initiator", "target", "joint"], ["initiator", "target"]);

    /// <summary>The parties of a multilateral act; participants are required.</summary>
    public static FieldSet MultilateralParties { get; } = new(["participants", "host"], ["participants"]);

    public static FieldSet Correction { get; } = new(["id", "corrects", "reason", "sources", "with"], ["corrects", "reason", "sources", "with"]);

    public static FieldSet Retraction { get; } = new(["id", "retracts", "reason", "sources"], ["retracts", "reason", "sources"]);

    public static FieldSet Merge { get; } = new(["id", "merges", "reason", "sources"], ["merges", "reason", "sources"]);

    /// <summary>A source: outlet and title, then a url with its accessed date or a document with a passage.</summary>
    public static FieldSet Source { get; } = new(["outlet", "title", "url", "accessed", "document", "passage"], ["outlet", "title"]);

    public static FieldSet Figure { get; } = new(["name", "value", "unit"], ["name", "value", "unit"]);

    /// <summary>The host of a multilateral act.</summary>
    public static FieldSet Host { get; } = new(["actor", "cameoCode"], ["actor", "cameoCode"]);
}

/// <summary>The names of an object's fields and the ones it requires, which are among them.</summary>
public sealed record FieldSet
{
    public FieldSet(IReadOnlyList<string> names, IReadOnlyList<string> required)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(required);
        if (required.FirstOrDefault(r => !names.Contains(r, StringComparer.Ordinal)) is { } stray)
        {
            throw new ArgumentException($"'{stray}' is required but not a field.", nameof(required));
        }

        Names = names;
        Required = required;
        NameSet = new HashSet<string>(names, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<string> Required { get; }

    /// <summary>The names, for lookups.</summary>
    public IReadOnlySet<string> NameSet { get; }
}
