using System.Reflection;

namespace KarabakhLedger.Domain.Actors;

/// <summary>
/// The closed set of actors the ledger knows, loaded from the bundled <c>actors.tsv</c>.
/// Codes are upper-case letters and digits, without '-', because dyad keys join two codes with '-'.
/// </summary>
public sealed class ActorRegistry
{
    private readonly Dictionary<string, Actor> _byCode;

    private ActorRegistry(IEnumerable<Actor> actors) =>
        _byCode = actors.ToDictionary(a => a.Code, StringComparer.Ordinal);

    public static ActorRegistry Default { get; } = Load();

    public IEnumerable<Actor> All => _byCode.Values.OrderBy(a => a.Code, StringComparer.Ordinal);

    public bool TryGet(string code, out Actor actor) => _byCode.TryGetValue(code, out actor!);

    public Actor Get(string code) =>
        TryGet(code, out var actor)
            ? actor
            : throw new ArgumentException($"'{code}' is not a known actor code (see `ledger actors`).", nameof(code));

    private static ActorRegistry Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KarabakhLedger.actors.tsv")
            ?? throw new InvalidOperationException("The actor registry resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var actors = new List<Actor>();
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length != 3 || !IsWellFormedCode(cells[0]))
            {
                throw new InvalidDataException($"actors.tsv: malformed line '{line}'.");
            }

            actors.Add(new Actor(cells[0], cells[1], ParseKind(cells[2])));
        }

        return new ActorRegistry(actors);
    }

    internal static bool IsWellFormedCode(string code) =>
        code.Length is >= 2 and <= 10 && code.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');

    private static ActorKind ParseKind(string kind) => kind switch
    {
        "state" => ActorKind.State,
        "international-organisation" => ActorKind.InternationalOrganisation,
        "company" => ActorKind.Company,
        "non-state-armed-group" => ActorKind.NonStateArmedGroup,
        "non-state-authority" => ActorKind.NonStateAuthority,
        "self-declared-entity" => ActorKind.SelfDeclaredEntity,
        _ => throw new InvalidDataException($"actors.tsv: unknown actor kind '{kind}'."),
    };
}
