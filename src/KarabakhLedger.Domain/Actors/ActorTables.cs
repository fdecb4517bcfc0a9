using System.Globalization;
using KarabakhLedger.Domain.Cameo;

namespace KarabakhLedger.Domain.Actors;

/// <summary>Builds the <see cref="ActorRegistry"/> from its bundled tables, in the order and by the rules the registry documents.</summary>
internal static class ActorTables
{
    public static ActorRegistry Load()
    {
        var builder = new Builder();
        foreach (var row in ReferenceTable.Read("iso3166.tsv"))
        {
            var code = row["alpha3"];
            builder.Add(new Actor(code, row["name"], ActorKind.State) { Country = code, Source = "iso3166.tsv" }, row["name"], row["official_name"], row["common_name"]);
        }

        var cameoLabels = ReferenceTable.Read("cameo_countries.tsv").ToDictionary(r => r["code"], r => r["label"], StringComparer.Ordinal);
        foreach (var rule in ReferenceTable.Read("cameo-iso.tsv"))
        {
            var cameo = rule["cameo"];
            var label = cameoLabels.TryGetValue(cameo, out var l) ? l : throw new InvalidDataException($"cameo-iso.tsv: '{cameo}' is not a CAMEO country code.");
            switch (rule["kind"])
            {
                case "alias":
                    builder.AliasCode(cameo, rule["iso"]);
                    break;
                case "former-state":
                    builder.Add(new Actor(cameo, label, ActorKind.State) { Country = cameo, Source = "cameo-iso.tsv" }, label);
                    break;
                case "sub-national":
                    builder.Add(new Actor(cameo, label, ActorKind.Region) { Country = builder.State(rule["iso"]), Source = "cameo-iso.tsv" }, label);
                    break;
                default:
                    throw new InvalidDataException($"cameo-iso.tsv: unknown kind '{rule["kind"]}' for {cameo}.");
            }
        }

        foreach (var (code, label) in cameoLabels)
        {
            if (!builder.Has(code))
            {
                builder.Add(new Actor(code, label, ActorKind.Region) { Source = "cameo_countries.tsv" }, label);
            }
            else
            {
                builder.Name(code, label);
            }
        }

        foreach (var row in ReferenceTable.Read("actors.tsv"))
        {
            var code = row["code"];
            var kind = ParseKind(row["kind"]);
            builder.Add(
                new Actor(code, row["name"], kind) { Country = kind == ActorKind.State ? code : null, Source = "actors.tsv" },
                [row["name"], .. List(row["aliases"])]);
            foreach (var claimed in List(row["cameo"]))
            {
                builder.AliasCode(claimed, code);
            }
        }

        foreach (var group in ReferenceTable.Read("cameo_known_groups.tsv").GroupBy(r => r["code"], StringComparer.Ordinal))
        {
            var labels = group.Select(r => r["label"]).ToArray();
            if (builder.Has(group.Key))
            {
                // Claimed by a project actor (NAT is NATO), or equal to a country code (PSE): the listed actor wins.
                builder.Name(group.Key, labels);
                continue;
            }

            var distinct = labels.DistinctBy(WithoutParentheses).ToArray();
            builder.Add(new Actor(group.Key, string.Join(" / ", distinct), ActorKind.KnownGroup) { Source = "cameo_known_groups.tsv" }, labels);
        }

        foreach (var row in ReferenceTable.Read("icews_country_names.tsv"))
        {
            if (row["iso_alpha3"] is { Length: > 0 } iso)
            {
                builder.Name(iso, row["icews_name"]);
            }
        }

        var roles = ReferenceTable.Read("cameo_actor_types.tsv").ToDictionary(r => r["code"], r => r["label"], StringComparer.Ordinal);
        var affiliations = ReferenceTable.Read("affiliations.tsv").Select(r => new Affiliation(
            r["actor"], Empty(r["state"]), Empty(r["role"]), Date(r["valid_from"]), Date(r["valid_to"]), Instant(r["recorded_at"]), r["note"]));
        return builder.Build(roles, affiliations);
    }

    private static string WithoutParentheses(string label)
    {
        var open = label.IndexOf('(', StringComparison.Ordinal);
        return ActorNames.Normalise(open < 0 ? label : label[..open]);
    }

    private static string[] List(string cell) => cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Empty(string cell) => cell.Length == 0 ? null : cell;

    private static DateOnly? Date(string cell) =>
        cell.Length == 0 ? null : DateOnly.ParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Instant(string cell) =>
        cell.Length == 0 ? null : DateTimeOffset.Parse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

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

    private sealed class Builder
    {
        private readonly Dictionary<string, Actor> _byCode = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _codeAliases = new(StringComparer.Ordinal);

        public bool Has(string code) => _byCode.ContainsKey(code) || _codeAliases.ContainsKey(code);

        public string State(string code) =>
            _byCode.TryGetValue(code, out var a) && a.Kind == ActorKind.State ? code : throw new InvalidDataException($"'{code}' is not a state.");

        public void Add(Actor actor, params string[] names)
        {
            if (!Dyads.Dyad.IsWellFormedCode(actor.Code))
            {
                throw new InvalidDataException($"{actor.Source}: '{actor.Code}' is not a well-formed actor code.");
            }

            if (Has(actor.Code))
            {
                throw new InvalidDataException($"{actor.Source}: the code '{actor.Code}' is already taken.");
            }

            _byCode.Add(actor.Code, actor);
            _names.Add(actor.Code, []);
            Name(actor.Code, names);
        }

        public void AliasCode(string alias, string canonical)
        {
            if (Has(alias))
            {
                throw new InvalidDataException($"The alias code '{alias}' is already taken.");
            }

            if (!_byCode.ContainsKey(canonical))
            {
                throw new InvalidDataException($"The alias code '{alias}' stands for '{canonical}', which is not listed.");
            }

            _codeAliases.Add(alias, canonical);
        }

        public void Name(string code, params string[] names)
        {
            var canonical = _codeAliases.GetValueOrDefault(code, code);
            var list = _names[canonical];
            foreach (var name in names.Where(n => n.Length > 0))
            {
                if (!list.Any(n => ActorNames.Normalise(n) == ActorNames.Normalise(name)))
                {
                    list.Add(name);
                }
            }
        }

        public ActorRegistry Build(IReadOnlyDictionary<string, string> roles, IEnumerable<Affiliation> affiliations)
        {
            var byName = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var actors = new Dictionary<string, Actor>(StringComparer.Ordinal);
            foreach (var (code, actor) in _byCode)
            {
                actors[code] = actor with { Names = [.. _names[code]] };
                foreach (var name in _names[code])
                {
                    var key = ActorNames.Normalise(name);
                    if (!byName.TryGetValue(key, out var codes))
                    {
                        byName[key] = codes = new HashSet<string>(StringComparer.Ordinal);
                    }

                    codes.Add(code);
                }
            }

            return ActorRegistry.Create(actors, _codeAliases, byName, roles, affiliations);
        }
    }
}
