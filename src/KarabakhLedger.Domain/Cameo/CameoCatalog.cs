using System.Globalization;

namespace KarabakhLedger.Domain.Cameo;

/// <summary>GDELT's QuadClass: verbal or material, cooperation or conflict.</summary>
public enum QuadClass
{
    VerbalCooperation = 1,
    MaterialCooperation = 2,
    VerbalConflict = 3,
    MaterialConflict = 4,
}

/// <summary>One CAMEO code with its GDELT Goldstein weight (−10..+10) and QuadClass.</summary>
public sealed record CameoEntry(string Code, string Label, decimal Goldstein, QuadClass QuadClass, string RootCode);

/// <summary>
/// The CAMEO 1.1b3 event codes with GDELT's Goldstein weights, loaded from the bundled copy of
/// <c>shared/reference/cameo_goldstein.tsv</c>. Codes are strings: "010" and "10" are different codes.
/// </summary>
public sealed class CameoCatalog
{
    private readonly Dictionary<string, CameoEntry> _byCode;

    private CameoCatalog(IEnumerable<CameoEntry> entries) =>
        _byCode = entries.ToDictionary(e => e.Code, StringComparer.Ordinal);

    public static CameoCatalog Default { get; } = Load();

    public int Count => _byCode.Count;

    public IEnumerable<CameoEntry> All => _byCode.Values;

    public bool TryGet(string code, out CameoEntry entry) => _byCode.TryGetValue(code, out entry!);

    public CameoEntry Get(string code) =>
        TryGet(code, out var entry) ? entry : throw new KeyNotFoundException($"'{code}' is not a CAMEO code.");

    private static CameoCatalog Load() =>
        new(ReferenceTable.Read("cameo_goldstein.tsv").Select(row => new CameoEntry(
            row["code"],
            row["label"],
            decimal.Parse(row["goldstein"], NumberStyles.Float, CultureInfo.InvariantCulture),
            (QuadClass)int.Parse(row["quadclass"], CultureInfo.InvariantCulture),
            row["root_code"])));
}
