using System.Reflection;

namespace KarabakhLedger.Domain.Cameo;

/// <summary>
/// The reference tables bundled from <c>shared/reference</c> (tab-separated, header row), read as data:
/// <c>cameo_goldstein.tsv</c> and <c>goldstein_comparison_gdelt_vs_icews.tsv</c>.
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
