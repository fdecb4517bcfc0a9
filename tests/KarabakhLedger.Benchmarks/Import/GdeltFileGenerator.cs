using System.Globalization;
using System.Text;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;

namespace KarabakhLedger.Benchmarks.Import;

/// <summary>
/// Writes a GDELT 2.0 export (61 tab-separated columns, shared/reference/gdelt2_columns.txt) of N synthetic rows with
/// fresh ids, streamed to disk. Actors are real CAMEO codes: the states of the ledger's registry (loaded from
/// <c>iso3166.tsv</c> and <c>cameo_countries.tsv</c>), alone or with one of the state role codes of <c>cameo_actor_types.tsv</c> (TURGOV, RUSMIL).
/// Countries are drawn Zipf-skewed (s = 1.1, a fixed prominence order: USA, RUS, CHN, GBR … then the rest), so a few
/// dyads hold most rows and a long tail holds one or two each, as GDELT's do; event codes are Zipf-skewed too. About
/// 3% of rows have no second actor, as one-sided GDELT rows do (the importer rejects them: no-actor).
/// </summary>
internal static class GdeltFileGenerator
{
    private static readonly string[] Prominent =
        ["USA", "RUS", "CHN", "GBR", "UKR", "ISR", "TUR", "IRN", "FRA", "DEU", "IND", "PAK", "AFG", "SYR", "JPN", "PSE", "IRQ", "KOR", "PRK", "CAN",
         "AUS", "SAU", "EGY", "AZE", "ARM", "GEO", "POL", "ITA", "ESP", "NGA", "ZAF", "MEX", "BRA", "VEN", "LBY", "YEM", "QAT", "ARE", "BLR", "KAZ"];

    private static readonly string[] Roles = ["", "", "", "GOV", "MIL", "COP", "BUS", "CVL", "OPP", "MED", "JUD", "LEG", "REB", "SPY"];

    private static readonly string[] Codes =
        ["042", "043", "010", "036", "040", "020", "051", "190", "046", "111", "112", "057", "061", "130", "173", "0871", "1246", "013", "084", "141", "163", "172", "193", "180"];

    public static void Write(string path, int rows, int seed = 20260210, long firstId = 1_100_000_000)
    {
        var countries = Countries();
        var pickCountry = Zipf(countries.Length, 1.1);
        var pickCode = Zipf(Codes.Length, 1.0);
        var random = new Random(seed);
        var start = new DateOnly(2025, 3, 1);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var cells = new string[61];
        for (var i = 0; i < rows; i++)
        {
            var a = countries[pickCountry(random)];
            var b = countries[pickCountry(random)];
            while (b == a)
            {
                b = countries[pickCountry(random)];
            }

            var code = Codes[pickCode(random)];
            var entry = CameoCatalog.Default.TryGet(code, out var e) ? e : throw new InvalidOperationException($"CAMEO code {code} is not in the table.");
            var day = start.AddDays(random.Next(120));
            var oneSided = random.Next(100) < 3;
            Fill(cells, firstId + i, day, Side(a, Roles[random.Next(Roles.Length)]), oneSided ? null : Side(b, Roles[random.Next(Roles.Length)]), entry, random, i);
            writer.Write(string.Join('\t', cells));
            writer.Write('\n');
        }
    }

    private static (string Code, string Country, string Role) Side(string country, string role) => (country + role, country, role);

    private static void Fill(string[] c, long id, DateOnly day, (string Code, string Country, string Role) a, (string Code, string Country, string Role)? b, CameoEntry entry, Random random, int row)
    {
        var n = 0;
        c[n++] = id.ToString(CultureInfo.InvariantCulture);
        c[n++] = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        c[n++] = day.ToString("yyyyMM", CultureInfo.InvariantCulture);
        c[n++] = day.Year.ToString(CultureInfo.InvariantCulture);
        c[n++] = (day.Year + (day.DayOfYear / 365.0)).ToString("0.0000", CultureInfo.InvariantCulture);
        n = Actor(c, n, a);
        n = b is { } target ? Actor(c, n, target) : Actor(c, n, null);
        c[n++] = "1";
        c[n++] = entry.Code;
        c[n++] = entry.Code.Length > 3 ? entry.Code[..3] : entry.Code;
        c[n++] = entry.RootCode;
        c[n++] = ((int)entry.QuadClass).ToString(CultureInfo.InvariantCulture);
        c[n++] = entry.Goldstein.ToString("0.0", CultureInfo.InvariantCulture);
        var mentions = 1 + random.Next(30);
        c[n++] = mentions.ToString(CultureInfo.InvariantCulture);
        c[n++] = (1 + random.Next(Math.Min(mentions, 5))).ToString(CultureInfo.InvariantCulture);
        c[n++] = mentions.ToString(CultureInfo.InvariantCulture);
        c[n++] = (-10 + (random.NextDouble() * 15)).ToString("0.00000000000000", CultureInfo.InvariantCulture);
        for (var g = 0; g < 3; g++)
        {
            c[n++] = "4";
            c[n++] = "Ankara, Ankara, Turkey";
            c[n++] = "TU";
            c[n++] = "TU68";
            c[n++] = "";
            c[n++] = "39.9272";
            c[n++] = "32.8644";
            c[n++] = "-746340";
        }

        c[n++] = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "044500";
        c[n] = $"https://news.example.org/{day:yyyy/MM/dd}/story-{row}";
    }

    /// <summary>GDELT's 10 actor columns: code, name, country, known group, ethnic, two religions, three types.</summary>
    private static int Actor(string[] c, int n, (string Code, string Country, string Role)? side)
    {
        c[n++] = side?.Code ?? "";
        c[n++] = side is { } s ? $"{s.Country} NAME" : "";
        c[n++] = side?.Country ?? "";
        c[n++] = "";
        c[n++] = "";
        c[n++] = "";
        c[n++] = "";
        c[n++] = side?.Role ?? "";
        c[n++] = "";
        c[n++] = "";
        return n;
    }

    /// <summary>The states of the ledger's registry (ISO 3166-1 codes, which CAMEO's country codes map to), the prominent ones first.</summary>
    private static string[] Countries()
    {
        var rest = ActorRegistry.Default.All
            .Where(actor => actor.Kind == ActorKind.State && actor.Code.Length == 3)
            .Select(actor => actor.Code)
            .Except(Prominent)
            .Order(StringComparer.Ordinal);
        return [.. Prominent, .. rest];
    }

    /// <summary>A sampler of ranks 0..n-1 with probability proportional to 1 / (rank + 1)^s.</summary>
    private static Func<Random, int> Zipf(int n, double s)
    {
        var cumulative = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += 1 / Math.Pow(k + 1, s);
            cumulative[k] = sum;
        }

        return random =>
        {
            var at = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            return Math.Min(n - 1, at < 0 ? ~at : at);
        };
    }
}
