using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Provenance;

/// <summary>
/// Where an event's facts come from: <see cref="Curated"/> (recorded by a person, or amended by one) or the event
/// dataset it was imported from. Every query counts the provenances its <see cref="ProvenanceFilter"/> includes.
/// </summary>
public static class Provenances
{
    public const string Curated = "curated";
    public const string Gdelt1 = "gdelt1";
    public const string Gdelt2 = "gdelt2";
    public const string Icews = "icews";

    public static IReadOnlyList<string> All { get; } = [Curated, Gdelt1, Gdelt2, Icews];

    /// <summary>An imported interaction's dataset; every other event (including a person's correction of an import) is curated.</summary>
    public static string Of(ILedgerEvent e) => e is CodedInteraction coded ? coded.Provenance.Dataset : Curated;
}

/// <summary>
/// The provenances a query counts. Written <c>curated</c>, <c>gdelt2,icews</c> or <c>all</c>; the default is
/// <see cref="Curated"/>, so importing a dataset never changes what a curated query answers.
/// </summary>
public sealed record ProvenanceFilter(IReadOnlyList<string> Included)
{
    public static ProvenanceFilter Curated { get; } = new([Provenances.Curated]);

    public static ProvenanceFilter All { get; } = new(Provenances.All);

    public bool Includes(string provenance) => Included.Contains(provenance, StringComparer.Ordinal);

    public bool Includes(ILedgerEvent e) => Includes(Provenances.Of(e));

    /// <summary>Parses <c>P[,P…]</c> or <c>all</c>; on failure <paramref name="error"/> names the rule.</summary>
    public static bool TryParse(string? text, out ProvenanceFilter filter, out string error)
    {
        filter = Curated;
        error = "";
        if (text is null)
        {
            return true;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.ToLowerInvariant()).ToArray();
        if (parts.Length == 0)
        {
            error = $"must name one or more of {string.Join(", ", Provenances.All)}, or all";
            return false;
        }

        if (parts.Contains("all"))
        {
            filter = All;
            return true;
        }

        var unknown = parts.Where(p => !Provenances.All.Contains(p, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
        {
            error = $"'{string.Join(",", unknown)}' is not a provenance; expected one or more of {string.Join(", ", Provenances.All)}, or all";
            return false;
        }

        filter = new ProvenanceFilter([.. Provenances.All.Where(parts.Contains)]);
        return true;
    }

    /// <summary>Two filters are equal when they include the same provenances (so a query equals its copy across a grain call).</summary>
    public bool Equals(ProvenanceFilter? other) => other is not null && Included.SequenceEqual(other.Included, StringComparer.Ordinal);

    public override int GetHashCode() => Included.Aggregate(0, (h, p) => HashCode.Combine(h, StringComparer.Ordinal.GetHashCode(p)));

    public override string ToString() => Included.Count == Provenances.All.Count ? "all" : string.Join(",", Included);
}
