using System.Globalization;
using System.Reflection;

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

    private static CameoCatalog Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KarabakhLedger.cameo_goldstein.tsv")
            ?? throw new InvalidOperationException("The CAMEO table resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()?.Split('\t')
            ?? throw new InvalidDataException("cameo_goldstein.tsv is empty.");
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw new InvalidDataException($"cameo_goldstein.tsv has no '{name}' column.");
        int code = Column("code"), label = Column("label"), goldstein = Column("goldstein"),
            quad = Column("quadclass"), root = Column("root_code");

        var entries = new List<CameoEntry>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split('\t');
            entries.Add(new CameoEntry(
                cells[code],
                cells[label],
                decimal.Parse(cells[goldstein], NumberStyles.Float, CultureInfo.InvariantCulture),
                (QuadClass)int.Parse(cells[quad], CultureInfo.InvariantCulture),
                cells[root]));
        }

        return new CameoCatalog(entries);
    }
}
