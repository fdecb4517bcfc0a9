using System.Globalization;
using System.Numerics;
using System.Text;

namespace KarabakhLedger.Benchmarks;

/// <summary>
/// One subcommand's options, each declared once: its name, the value it takes and the rule for it, where the value
/// goes, and one line for <c>--help</c>. <see cref="Parse"/> applies the arguments in order; a missing or bad value, or
/// an unknown option, is a <see cref="BenchmarkArgumentException"/>, which <see cref="Program"/> prints as one line.
/// </summary>
internal sealed class BenchmarkArguments(string command, string summary)
{
    private const int Width = 116;

    private sealed record Option(string Name, string? Value, string Description, string? Rule, Func<string, bool> Apply);

    private readonly List<Option> _options = [];

    public BenchmarkArguments Flag(string name, string description, Action set) =>
        Add(new Option(name, null, description, null, _ =>
        {
            set();
            return true;
        }));

    public BenchmarkArguments Text(string name, string value, string description, Action<string> set) =>
        Add(new Option(name, value, description, null, text => Applied(set, text)));

    public BenchmarkArguments Whole<T>(string name, string description, T min, Action<T> set)
        where T : IBinaryInteger<T> =>
        Add(new Option(name, "N", description, $"must be a whole number ≥ {min}", text =>
            T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && Applied(set, n)));

    public BenchmarkArguments Number(string name, string value, string description, double min, Action<double> set, bool exclusive = false) =>
        Add(new Option(name, value, description, $"must be a number {(exclusive ? ">" : "≥")} {min.ToString(CultureInfo.InvariantCulture)}", text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
            && (exclusive ? x > min : x >= min) && Applied(set, x)));

    public BenchmarkArguments Choice<T>(string name, string value, string description, Action<T> set)
        where T : struct, Enum =>
        Add(new Option(name, value, description, $"must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}", text =>
            Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } known
            && Applied(set, Enum.Parse<T>(known))));

    /// <summary>--postgres, --skip-postgres and --skip-sqlite, for a benchmark that measures on both stores.</summary>
    public BenchmarkArguments BothStores(string schemas, Action<string> postgres, Action skipPostgres, Action skipSqlite) =>
        Text("--postgres", "CONNSTR", $"PostgreSQL to measure on (default: environment variable LEDGER_TEST_POSTGRES; start a throwaway one with: eval \"$(deploy/postgres.sh env)\"). The benchmark creates and drops the schemas {schemas} in its database.", postgres)
            .Flag("--skip-postgres", "SQLite only", skipPostgres)
            .Flag("--skip-sqlite", "PostgreSQL only", skipSqlite);

    /// <summary>Applies <paramref name="args"/>; false when they asked for <c>--help</c>, which is then printed.</summary>
    public bool Parse(IReadOnlyList<string> args)
    {
        if (args.Contains("--help"))
        {
            Console.WriteLine(Help());
            return false;
        }

        for (var i = 0; i < args.Count; i++)
        {
            var option = _options.Find(o => o.Name == args[i])
                ?? throw new BenchmarkArgumentException(
                    $"{command}: unknown option '{args[i]}'; it takes {string.Join(", ", _options.Select(o => o.Name))} and --help.");
            var text = "";
            if (option.Value is not null)
            {
                text = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new BenchmarkArgumentException($"{option.Name} needs a value.");
            }

            if (!option.Apply(text))
            {
                throw new BenchmarkArgumentException($"{option.Name}: {option.Rule}, not '{text}'.");
            }
        }

        return true;
    }

    /// <summary>
    /// The connection string given, else LEDGER_TEST_POSTGRES's. None is an error unless the run skips PostgreSQL
    /// (<paramref name="skippable"/>: the subcommand takes --skip-postgres).
    /// </summary>
    public static string? Postgres(string? given, bool skipped, bool skippable = true)
    {
        var postgres = given ?? Environment.GetEnvironmentVariable("LEDGER_TEST_POSTGRES");
        return skipped || !string.IsNullOrWhiteSpace(postgres)
            ? postgres
            : throw new BenchmarkArgumentException(
                $"no PostgreSQL: pass --postgres CONNSTR or set LEDGER_TEST_POSTGRES (eval \"$(deploy/postgres.sh env)\"){(skippable ? ", or pass --skip-postgres" : "")}.");
    }

    public string Help()
    {
        var help = new StringBuilder($"usage: KarabakhLedger.Benchmarks {command} [options]\n\n");
        foreach (var line in summary.Split('\n'))
        {
            help.Append("  ").AppendLine(line.TrimEnd());
        }

        help.AppendLine();
        var column = _options.Max(o => Usage(o).Length) + 5;
        foreach (var option in _options.Append(new Option("--help", null, "print these options", null, _ => true)))
        {
            var line = new StringBuilder("  " + Usage(option).PadRight(column - 2));
            foreach (var word in option.Description.Split(' '))
            {
                if (line.Length + word.Length + 1 > Width && line.Length > column)
                {
                    help.AppendLine(line.ToString().TrimEnd());
                    line.Clear().Append(' ', column);
                }

                line.Append(word).Append(' ');
            }

            help.AppendLine(line.ToString().TrimEnd());
        }

        return help.ToString().TrimEnd();
    }

    private static string Usage(Option option) => option.Value is null ? option.Name : $"{option.Name} {option.Value}";

    private static bool Applied<T>(Action<T> set, T value)
    {
        set(value);
        return true;
    }

    private BenchmarkArguments Add(Option option)
    {
        _options.Add(option);
        return this;
    }
}

/// <summary>A bad command line or a missing precondition of a run: printed as one line, exit code 2.</summary>
internal sealed class BenchmarkArgumentException(string message) : Exception(message);
