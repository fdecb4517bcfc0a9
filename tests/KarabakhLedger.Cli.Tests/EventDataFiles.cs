using System.Globalization;
using System.IO.Compression;
using System.Text;
using KarabakhLedger.Domain.Cameo;

namespace KarabakhLedger.Cli.Tests;

/// <summary>One coded event as a test writes it into a GDELT or ICEWS file.</summary>
public sealed record CodedRow(
    long Id, DateOnly Day, string Actor1, string Country1, string Actor2, string Country2, string Code,
    int Mentions = 10, int Sources = 2, int Articles = 10, string Tone = "-1.25", string? Url = "https://news.example.org/story")
{
    /// <summary>The code's CAMEO entry; a code outside the table is written with GoldsteinScale 0 and QuadClass 1.</summary>
    public CameoEntry Cameo => CameoCatalog.Default.TryGet(Code, out var entry) ? entry : new CameoEntry(Code, "?", 0, QuadClass.VerbalCooperation, Code[..2]);
}

/// <summary>
/// Writes small files in the real layouts (shared/reference/formats.md): GDELT 1.0 daily (58 columns) and backfile
/// (57, no SOURCEURL), GDELT 2.0 (61), ICEWS (20 with a header, countries by name), with geography columns filled
/// as GDELT fills them.
/// </summary>
public static class EventDataFiles
{
    public static string Gdelt(string layout, IEnumerable<CodedRow> rows, IEnumerable<string>? extraLines = null)
    {
        var text = new StringBuilder();
        foreach (var r in rows)
        {
            text.Append(string.Join('\t', GdeltCells(layout, r))).Append('\n');
        }

        foreach (var line in extraLines ?? [])
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    public static string[] GdeltCells(string layout, CodedRow r)
    {
        var cells = new List<string>
        {
            r.Id.ToString(CultureInfo.InvariantCulture), r.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            r.Day.ToString("yyyyMM", CultureInfo.InvariantCulture), r.Day.Year.ToString(CultureInfo.InvariantCulture),
            (r.Day.Year + (r.Day.DayOfYear / 365.0)).ToString("0.0000", CultureInfo.InvariantCulture),
        };
        cells.AddRange(Side(r.Actor1, r.Country1));
        cells.AddRange(Side(r.Actor2, r.Country2));
        cells.AddRange([
            "1", r.Code, r.Code.Length > 3 ? r.Code[..3] : r.Code, r.Cameo.RootCode, ((int)r.Cameo.QuadClass).ToString(CultureInfo.InvariantCulture),
            r.Cameo.Goldstein.ToString("0.0", CultureInfo.InvariantCulture),
            r.Mentions.ToString(CultureInfo.InvariantCulture), r.Sources.ToString(CultureInfo.InvariantCulture),
            r.Articles.ToString(CultureInfo.InvariantCulture), r.Tone,
        ]);
        var adm2 = layout == "gdelt2";
        for (var g = 0; g < 3; g++)
        {
            cells.AddRange(["4", "Ankara, Ankara, Turkey", "TU", "TU68"]);
            if (adm2)
            {
                cells.Add("");
            }

            cells.AddRange(["39.9272", "32.8644", "-746340"]);
        }

        cells.Add(layout == "gdelt2"
            ? r.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "044500"
            : r.Day.AddDays(1).ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        if (layout != "gdelt1-backfile")
        {
            cells.Add(r.Url ?? "");
        }

        return [.. cells];
    }

    public static string Icews(IEnumerable<CodedRow> rows, IEnumerable<string>? extraLines = null)
    {
        var text = new StringBuilder("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude\n");
        foreach (var r in rows)
        {
            text.Append(string.Join('\t',
                r.Id.ToString(CultureInfo.InvariantCulture), r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.Actor1, r.Actor1 == r.Country1 ? "NA" : "Government", r.Country1, r.Cameo.Label, r.Code,
                r.Cameo.Goldstein.ToString("0.##", CultureInfo.InvariantCulture),
                r.Actor2, r.Actor2 == r.Country2 ? "NA" : "Government", r.Country2,
                (47400000 + r.Id).ToString(CultureInfo.InvariantCulture), "2", "Trend News Agency (Azerbaijan)",
                "Baku", "NA", "Baku City", "Azerbaijan", "40.3777", "49.892")).Append('\n');
        }

        foreach (var line in extraLines ?? [])
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes <paramref name="text"/> as <paramref name="name"/> in a fresh folder: plain, .gz, or inside a .zip.</summary>
    public static string Write(string name, string text, string compression = "")
    {
        var folder = Path.GetDirectoryName(CliRunner.NewPath(""))!;
        var dir = Directory.CreateDirectory(Path.Combine(folder, Guid.NewGuid().ToString("N"))).FullName;
        var bytes = new UTF8Encoding(false).GetBytes(text);
        switch (compression)
        {
            case ".gz":
                {
                    var path = Path.Combine(dir, name + ".gz");
                    using var file = File.Create(path);
                    using var gzip = new GZipStream(file, CompressionLevel.Fastest);
                    gzip.Write(bytes);
                    return path;
                }

            case ".zip":
                {
                    var path = Path.Combine(dir, name + ".zip");
                    using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
                    using var entry = zip.CreateEntry(name).Open();
                    entry.Write(bytes);
                    return path;
                }

            default:
                {
                    var path = Path.Combine(dir, name);
                    File.WriteAllBytes(path, bytes);
                    return path;
                }
        }
    }

    /// <summary>GDELT's 10 actor columns for a code such as TURGOV: the code, a name, country, known group, ethnic, religions and types.</summary>
    private static string[] Side(string code, string country)
    {
        var igo = code.StartsWith("IGO", StringComparison.Ordinal);
        var types = igo ? ["IGO"]
            : code.Length > 3 && country.Length > 0 && code.StartsWith(country, StringComparison.Ordinal)
            ? Enumerable.Range(0, (code.Length - 3) / 3).Select(i => code.Substring(3 + (i * 3), 3)).ToArray()
            : [];
        return
        [
            code, code.Length == 0 ? "" : country.Length > 0 ? $"{country} NAME" : code, country, igo ? code[3..] : "", "", "", "",
            types.ElementAtOrDefault(0) ?? "", types.ElementAtOrDefault(1) ?? "", types.ElementAtOrDefault(2) ?? "",
        ];
    }
}
