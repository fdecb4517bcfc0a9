using System.Reflection;

namespace KarabakhLedger.Domain.Cameo;

/// <summary>
/// The bundled tables (tab-separated, header row), read as data: the CAMEO tables copied from
/// <c>shared/reference</c> (<c>Cameo/</c>, <c>Actors/reference/</c>) and the project's own (<c>Actors/*.tsv</c>).
/// Cells are text exactly as written: no NA detection (Namibia's alpha-2 is <c>NA</c>).
/// </summary>
public static class ReferenceTable
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"KarabakhLedger.{name}")
            ?? throw new ArgumentException($"No bundled reference table is named '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()?.Split('\t') ?? throw new InvalidDataException($"{name} is empty.");
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"{name}: line {rows.Count + 2} has {cells.Length} cells, the header {header.Length}.");
            }

            rows.Add(header.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }

        return rows;
    }
}
