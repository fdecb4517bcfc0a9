using KarabakhLedger.Domain.Cameo;

namespace KarabakhLedger.Domain.Actors;

/// <summary>
/// ICEWS sectors as CAMEO role codes (<c>icews-sectors.tsv</c>, docs/actors.md "ICEWS sectors"). An ICEWS side lists
/// its sectors comma-separated, ancestors included ("Elite,Executive,Executive Office,Government"); the side's role is
/// the one of its listed sectors with the lowest rank, so a police or military body stays police or military when
/// Government is listed beside it. A sector the table does not name gives no role.
/// </summary>
public sealed class IcewsSectors
{
    private readonly Dictionary<string, (string Role, int Rank)> _bySector;

    private IcewsSectors(Dictionary<string, (string Role, int Rank)> bySector) => _bySector = bySector;

    public static IcewsSectors Default { get; } = Load();

    /// <summary>The CAMEO role code of the ICEWS sector list <paramref name="sectors"/>; null when none of its sectors has one.</summary>
    public string? RoleOf(string? sectors)
    {
        if (string.IsNullOrWhiteSpace(sectors))
        {
            return null;
        }

        (string Role, int Rank)? best = null;
        foreach (var sector in sectors.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (_bySector.TryGetValue(sector, out var mapped) && (best is null || mapped.Rank < best.Value.Rank))
            {
                best = mapped;
            }
        }

        return best?.Role;
    }

    private static IcewsSectors Load()
    {
        var roles = ReferenceTable.Read("cameo_actor_types.tsv").Select(r => r["code"]).ToHashSet(StringComparer.Ordinal);
        var bySector = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in ReferenceTable.Read("icews-sectors.tsv"))
        {
            if (!roles.Contains(row["role"]))
            {
                throw new InvalidDataException($"icews-sectors.tsv maps '{row["sector"]}' to '{row["role"]}', which is not a CAMEO role code.");
            }

            bySector.Add(row["sector"], (row["role"], int.Parse(row["rank"], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new IcewsSectors(bySector);
    }
}
