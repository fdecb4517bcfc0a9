using System.Collections.Concurrent;
using System.Globalization;
using KarabakhLedger.Domain.Cameo;

namespace KarabakhLedger.Domain.Actors;

/// <summary>
/// Every actor the ledger accepts, built from data (docs/actors.md has the rules):
/// <list type="number">
/// <item>every ISO 3166-1 entry (<c>iso3166.tsv</c>) as a state, answering to its name, official and common names;</item>
/// <item>CAMEO's country and region codes (<c>cameo_countries.tsv</c>): a CAMEO label is one more name of its ISO
/// state; where CAMEO's code differs from ISO's, <c>cameo-iso.tsv</c> says how (an alias code, a former state, a
/// sub-national code that rolls up); the other codes are regions;</item>
/// <item>the project's own actors (<c>actors.tsv</c>): organisations, companies, armed groups, self-declared
/// entities, each with its aliases and the CAMEO codes it claims (NATO claims NAT);</item>
/// <item>CAMEO known groups (<c>cameo_known_groups.tsv</c>) not claimed by a project actor nor equal to a country code;</item>
/// <item>ICEWS country names (<c>icews_country_names.tsv</c>) as names of the ISO state they map to;</item>
/// <item>on demand, CAMEO sector codes: a country or region code and one to three role codes
/// (<c>cameo_actor_types.tsv</c>), e.g. TURMIL, ROMGOV (stored as ROUGOV);</item>
/// <item>affiliations (<c>affiliations.tsv</c>): which state a named actor belongs to, over which dates, as known from when.</item>
/// </list>
/// Codes are upper-case letters and digits, without '-', because dyad keys join two codes with '-'
/// (<see cref="Dyads.Dyad.IsWellFormedCode"/>). The registry is what turns codes into a <see cref="Dyads.Dyad"/>
/// (<see cref="DyadOf"/>, <see cref="ResolveDyad"/>, <see cref="TryDyadOfStream"/>): a dyad itself knows no codes.
/// </summary>
public sealed class ActorRegistry
{
    private readonly Dictionary<string, Actor> _byCode;
    private readonly Dictionary<string, string> _codeAliases;
    private readonly Dictionary<string, HashSet<string>> _byName;
    private readonly Dictionary<string, IReadOnlyList<Affiliation>> _affiliations;
    private readonly ConcurrentDictionary<string, Actor?> _sectors = new(StringComparer.Ordinal);

    private ActorRegistry(
        Dictionary<string, Actor> byCode,
        Dictionary<string, string> codeAliases,
        Dictionary<string, HashSet<string>> byName,
        IReadOnlyDictionary<string, string> roles,
        IEnumerable<Affiliation> affiliations)
    {
        _byCode = byCode;
        _codeAliases = codeAliases;
        _byName = byName;
        Roles = roles;
        var list = affiliations.ToArray();
        foreach (var a in list)
        {
            Validate(a);
        }

        _affiliations = list.GroupBy(a => a.Actor, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Affiliation>)[.. g], StringComparer.Ordinal);
        Affiliations = list;
    }

    public static ActorRegistry Default { get; } = ActorTables.Load();

    /// <summary>The listed actors, by code (sector codes are not listed: there are too many; they resolve on demand).</summary>
    public IEnumerable<Actor> All => _byCode.Values.OrderBy(a => a.Code, StringComparer.Ordinal);

    /// <summary>CAMEO role codes and their labels.</summary>
    public IReadOnlyDictionary<string, string> Roles { get; }

    /// <summary>Every affiliation version, in the order recorded.</summary>
    public IReadOnlyList<Affiliation> Affiliations { get; }

    /// <summary>Other codes that stand for a listed actor (ROM for ROU, NAT for NATO), with the code they stand for.</summary>
    public IReadOnlyDictionary<string, string> CodeAliases => _codeAliases;

    internal static ActorRegistry Create(
        Dictionary<string, Actor> byCode, Dictionary<string, string> codeAliases, Dictionary<string, HashSet<string>> byName,
        IReadOnlyDictionary<string, string> roles, IEnumerable<Affiliation> affiliations) =>
        new(byCode, codeAliases, byName, roles, affiliations);

    /// <summary>The same actors with other affiliations: for tests and what-if questions.</summary>
    public ActorRegistry WithAffiliations(IEnumerable<Affiliation> affiliations) => new(_byCode, _codeAliases, _byName, Roles, affiliations);

    /// <summary>
    /// The actor a code stands for: a listed code, an alias code (then the actor's <see cref="Actor.Code"/> is the
    /// canonical one), or a CAMEO sector code. Exact: upper case, no names (see <see cref="TryResolve"/>).
    /// </summary>
    public bool TryGet(string code, out Actor actor)
    {
        if (_byCode.TryGetValue(code, out actor!))
        {
            return true;
        }

        if (_codeAliases.TryGetValue(code, out var canonical))
        {
            actor = _byCode[canonical];
            return true;
        }

        actor = _sectors.GetOrAdd(code, Sector)!;
        return actor is not null;
    }

    public Actor Get(string code) =>
        TryGet(code, out var actor)
            ? actor
            : throw new ArgumentException($"'{code}' is not a known actor code (see `ledger actors`).", nameof(code));

    /// <summary>
    /// The dyad of two exact codes (listed, alias or sector codes), each as its canonical code: ROM and TUR are ROU-TUR.
    /// </summary>
    /// <exception cref="ArgumentException">a code is not known, or both stand for the same actor.</exception>
    public Dyads.Dyad DyadOf(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return new Dyads.Dyad(Canonical(first, nameof(first)), Canonical(second, nameof(second)));
    }

    /// <summary>
    /// The dyad a ledger stream belongs to: a well-formed dyad stream id (<c>dyad-ARM-AZE</c>) of two known codes;
    /// false for any other stream.
    /// </summary>
    public bool TryDyadOfStream(string streamId, out Dyads.Dyad dyad)
    {
        dyad = null!;
        if (!Dyads.Dyad.TryFromStreamId(streamId, out var named) || !TryGet(named.A, out var a) || !TryGet(named.B, out var b) || a.Code == b.Code)
        {
            return false;
        }

        dyad = new Dyads.Dyad(a.Code, b.Code);
        return true;
    }

    /// <summary>
    /// What a person or a data file means by <paramref name="text"/>: a code in any case, or a name in any case and
    /// with or without accents (<c>Türkiye</c>, <c>turkey</c>, <c>Russian Federation</c>). On failure,
    /// <paramref name="error"/> says why and suggests the closest actors.
    /// </summary>
    public bool TryResolve(string text, out Actor actor, out string error)
    {
        actor = null!;
        error = "";
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "must name an actor: a code such as TUR or a name such as Türkiye";
            return false;
        }

        var upper = trimmed.ToUpperInvariant();
        if (Dyads.Dyad.IsWellFormedCode(upper) && TryGet(upper, out actor))
        {
            return true;
        }

        if (_byName.TryGetValue(ActorNames.Normalise(trimmed), out var codes))
        {
            if (codes.Count == 1)
            {
                actor = _byCode[codes.First()];
                return true;
            }

            error = $"'{trimmed}' is ambiguous: it names {string.Join(", ", codes.Order(StringComparer.Ordinal).Select(c => Describe(_byCode[c])))}; give the code";
            return false;
        }

        var suggestions = Suggest(trimmed, 5);
        error = suggestions.Count == 0
            ? $"'{trimmed}' is not a known actor code or name (see `ledger actors --search`)"
            : $"'{trimmed}' is not a known actor code or name; did you mean {string.Join(", ", suggestions.Select(Describe))}?";
        return false;
    }

    public Actor Resolve(string text, string field) =>
        TryResolve(text, out var actor, out var error) ? actor : throw new ArgumentException(error, field);

    /// <summary>
    /// A dyad as a person writes it: two actors, by code or name, joined by '-', '–', '—' or '/'
    /// (<c>Türkiye-Ukraine</c>, <c>rus-tur</c>, <c>Guinea-Bissau/Senegal</c>). Every split at a separator is tried;
    /// exactly one must name two different actors.
    /// </summary>
    public Dyads.Dyad ResolveDyad(string text)
    {
        var (first, second) = ResolvePair(text);
        return new Dyads.Dyad(first.Code, second.Code);
    }

    /// <summary>
    /// The dyad <paramref name="text"/> names, as its two canonical codes in the order they were given (<c>TUR-RUS</c>
    /// for "Türkiye-Russia"), for titles that keep the pair as the user asked for it; the dyad itself is unordered.
    /// </summary>
    public string AskedOrder(string text)
    {
        var (first, second) = ResolvePair(text);
        _ = new Dyads.Dyad(first.Code, second.Code);
        return $"{first.Code}-{second.Code}";
    }

    private (Actor First, Actor Second) ResolvePair(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var found = new List<(Actor A, Actor B)>();
        var errors = new List<string>();
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (trimmed[i] is not ('-' or '–' or '—' or '/'))
            {
                continue;
            }

            var leftOk = TryResolve(trimmed[..i], out var left, out var leftError);
            var rightOk = TryResolve(trimmed[(i + 1)..], out var right, out var rightError);
            if (leftOk && rightOk)
            {
                found.Add((left, right));
            }
            else if (leftOk || rightOk)
            {
                errors.Add(leftOk ? rightError : leftError);
            }
            else if (errors.Count == 0 && i == trimmed.IndexOfAny(['-', '–', '—', '/']))
            {
                errors.Add(leftError);
                errors.Add(rightError);
            }
        }

        var distinct = found.DistinctBy(f => Dyads.Dyad.KeyOf(f.A.Code, f.B.Code)).ToArray();
        return distinct.Length switch
        {
            1 => distinct[0],
            > 1 => throw new ArgumentException(
                $"'{trimmed}' can be read as {string.Join(" or ", distinct.Select(d => $"{d.A.Code}-{d.B.Code}"))}; give the codes"),
            _ when errors.Count > 0 => throw new ArgumentException(string.Join("; ", errors.Distinct())),
            _ => throw new ArgumentException($"'{trimmed}' is not a dyad: expected two actors joined by '-', e.g. RUS-TUR or Türkiye-Ukraine"),
        };
    }

    /// <summary>Actors whose code starts with, or one of whose names contains, <paramref name="text"/>; closest first.</summary>
    public IReadOnlyList<Actor> Search(string text, int limit = 50)
    {
        var key = ActorNames.Normalise(text);
        var upper = text.Trim().ToUpperInvariant();
        if (key.Length == 0)
        {
            return [];
        }

        var aliased = _codeAliases.GetValueOrDefault(upper);
        var ranked = new List<(int Rank, Actor Actor)>();
        foreach (var actor in _byCode.Values)
        {
            var names = actor.Names.Select(ActorNames.Normalise).ToArray();
            int? rank = actor.Code == upper || actor.Code == aliased ? 0
                : names.Contains(key) ? 1
                : actor.Code.StartsWith(upper, StringComparison.Ordinal) ? 2
                : names.Any(n => n.StartsWith(key, StringComparison.Ordinal)) ? 3
                : names.Any(n => n.Contains(key, StringComparison.Ordinal)) ? 4
                : null;
            if (rank is { } r)
            {
                ranked.Add((r, actor));
            }
        }

        if (ranked.Count == 0 && TryGet(upper, out var sector))
        {
            return [sector];
        }

        return ranked.Count > 0
            ? [.. ranked.OrderBy(r => r.Rank).ThenBy(r => r.Actor.Kind != ActorKind.State).ThenBy(r => r.Actor.Code, StringComparer.Ordinal).Take(limit).Select(r => r.Actor)]
            : Suggest(text, Math.Min(limit, 5));
    }

    /// <summary>The actors whose code or a name is closest to <paramref name="text"/> (prefix, substring, then edit distance).</summary>
    public IReadOnlyList<Actor> Suggest(string text, int limit)
    {
        var key = ActorNames.Normalise(text);
        if (key.Length == 0)
        {
            return [];
        }

        var budget = Math.Max(1, key.Length / 3);
        var best = new Dictionary<string, int>(StringComparer.Ordinal);
        void Consider(string candidate, string code)
        {
            var score = candidate.StartsWith(key, StringComparison.Ordinal) && key.Length >= 2 ? 0
                : key.Length >= 3 && candidate.Contains(key, StringComparison.Ordinal) ? 1
                : ActorNames.Distance(key, candidate, budget) is var d && d <= budget ? 1 + d
                : int.MaxValue;
            if (score != int.MaxValue && (!best.TryGetValue(code, out var seen) || score < seen))
            {
                best[code] = score;
            }
        }

        foreach (var (name, codes) in _byName)
        {
            foreach (var code in codes)
            {
                Consider(name, code);
            }
        }

        foreach (var code in _byCode.Keys)
        {
            Consider(code.ToLowerInvariant(), code);
        }

        return [.. best.OrderBy(b => b.Value).ThenBy(b => b.Key, StringComparer.Ordinal).Take(limit).Select(b => _byCode[b.Key])];
    }

    public IReadOnlyList<Affiliation> AffiliationsOf(string code) =>
        _affiliations.TryGetValue(Get(code).Code, out var list) ? list : [];

    /// <summary>
    /// The state <paramref name="code"/> counted as on <paramref name="day"/>, as known at <paramref name="knownAt"/>:
    /// a state is itself; a sector or sub-national code is its country's; a named actor is what the latest-recorded
    /// affiliation version known by then says for that day. Null when it counts toward no state.
    /// </summary>
    public Membership? MembershipOf(string code, DateOnly day, DateTimeOffset knownAt)
    {
        var actor = Get(code);
        if (actor.Country is { } country)
        {
            var basis = actor.Kind switch
            {
                ActorKind.State => "state",
                ActorKind.Sector => $"CAMEO sector code ({string.Join(", ", actor.Roles.Select(r => Roles[r]))})",
                _ => "sub-national code (cameo-iso.tsv)",
            };
            return new Membership(actor.Code, country, actor.Roles.Count == 0 ? null : string.Concat(actor.Roles), basis);
        }

        var version = AffiliationsOf(actor.Code)
            .Select((a, order) => (a, order))
            .Where(v => v.a.IsKnownAt(knownAt) && v.a.Covers(day))
            .OrderBy(v => v.a.RecordedAt ?? DateTimeOffset.MinValue)
            .ThenBy(v => v.order)
            .Select(v => v.a)
            .LastOrDefault();
        return version?.State is { } state
            ? new Membership(actor.Code, state, version.Role, $"affiliation{Interval(version)}")
            : null;
    }

    /// <summary>True when both sides are states: the dyads that other actors' events roll up into.</summary>
    public bool IsCountryDyad(Dyads.Dyad dyad) => Get(dyad.A).Kind == ActorKind.State && Get(dyad.B).Kind == ActorKind.State;

    /// <summary>
    /// The country dyad an event of <paramref name="dyad"/> dated <paramref name="day"/> counts toward, as known at
    /// <paramref name="knownAt"/>: the two sides' states, when both have one and they differ. A country dyad is its own.
    /// </summary>
    public Dyads.Dyad? CountryDyadOf(Dyads.Dyad dyad, DateOnly day, DateTimeOffset knownAt)
    {
        var a = MembershipOf(dyad.A, day, knownAt);
        var b = MembershipOf(dyad.B, day, knownAt);
        return a is not null && b is not null && a.State != b.State ? new Dyads.Dyad(a.State, b.State) : null;
    }

    /// <summary>
    /// The country dyad an interaction of <paramref name="dyad"/> counts toward: on the day from which it counts, the
    /// last day of its date's period (the day a score counts it from, too).
    /// </summary>
    public Dyads.Dyad? CountryDyadOf(Dyads.Dyad dyad, Time.PartialDate occurredOn, DateTimeOffset knownAt) =>
        CountryDyadOf(dyad, occurredOn.End, knownAt);

    /// <summary>Every country dyad an event of <paramref name="dyad"/> could count toward, under any affiliation version recorded.</summary>
    public IReadOnlyList<Dyads.Dyad> CountryDyadCandidates(Dyads.Dyad dyad)
    {
        var a = PossibleStates(dyad.A);
        var b = PossibleStates(dyad.B);
        return [.. a.SelectMany(x => b.Where(y => y != x).Select(y => new Dyads.Dyad(x, y))).Distinct()];
    }

    private string Canonical(string code, string name) =>
        TryGet(code, out var actor) ? actor.Code : throw new ArgumentException($"'{code}' is not a known actor code (see `ledger actors`).", name);

    private static string Describe(Actor actor) => $"{actor.Name} ({actor.Code})";

    private static string Interval(Affiliation a) =>
        a.ValidFrom is null && a.ValidTo is null ? "" : $" {a.ValidFrom:yyyy-MM-dd}..{a.ValidTo:yyyy-MM-dd}";

    private IReadOnlyList<string> PossibleStates(string code)
    {
        var actor = Get(code);
        return actor.Country is { } country
            ? [country]
            : [.. AffiliationsOf(actor.Code).Select(a => a.State).OfType<string>().Distinct()];
    }

    private void Validate(Affiliation a)
    {
        if (!_byCode.TryGetValue(a.Actor, out var actor))
        {
            throw new InvalidDataException($"affiliations: '{a.Actor}' is not a listed actor.");
        }

        if (actor.Country is not null)
        {
            throw new InvalidDataException($"affiliations: '{a.Actor}' belongs to {actor.Country} by its code; it takes no affiliation.");
        }

        if (a.State is { } state && (!_byCode.TryGetValue(state, out var s) || s.Kind != ActorKind.State))
        {
            throw new InvalidDataException($"affiliations: '{a.Actor}' is affiliated with '{state}', which is not a state.");
        }

        if (a.Role is { } role && !Roles.ContainsKey(role))
        {
            throw new InvalidDataException($"affiliations: role '{role}' of '{a.Actor}' is not a CAMEO role code.");
        }

        if (a.ValidFrom > a.ValidTo)
        {
            throw new InvalidDataException($"affiliations: '{a.Actor}' is valid from {a.ValidFrom:yyyy-MM-dd}, after its end {a.ValidTo:yyyy-MM-dd}.");
        }
    }

    /// <summary>A CAMEO sector code: a country or region code, then one to three distinct role codes.</summary>
    private Actor? Sector(string code)
    {
        if (code.Length is < 6 or > 12 || code.Length % 3 != 0 || !code.All(char.IsAsciiLetterUpper))
        {
            return null;
        }

        var head = code[..3];
        if (!_byCode.TryGetValue(_codeAliases.GetValueOrDefault(head, head), out var place) || place.Kind is not (ActorKind.State or ActorKind.Region))
        {
            return null;
        }

        var roles = Enumerable.Range(1, (code.Length / 3) - 1).Select(i => code.Substring(i * 3, 3)).ToArray();
        if (roles.Any(r => !Roles.ContainsKey(r)) || roles.Distinct().Count() != roles.Length)
        {
            return null;
        }

        return new Actor(place.Code + string.Concat(roles), $"{place.Name}: {string.Join(", ", roles.Select(r => Roles[r]))}", ActorKind.Sector)
        {
            Country = place.Country,
            Roles = roles,
            Source = "cameo_actor_types.tsv",
        };
    }
}

/// <summary>How names are compared: case, accents and punctuation ignored.</summary>
public static class ActorNames
{
    /// <summary>
    /// Latin letters with diacritics and their base letters. Written out because the build runs with invariant
    /// globalization, where <see cref="string.Normalize()"/> cannot decompose.
    /// </summary>
    private static readonly (string Letters, string Base)[] Folds =
    [
        ("àáâãäåāăąǎȧ", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęěȩ", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
        ("ìíîïĩīĭįıǐ", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏőǒ", "o"),
        ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűųǔ", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"),
        ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("þ", "th"), ("ð", "d"),
    ];

    private static readonly Dictionary<char, string> Fold = Folds
        .SelectMany(f => f.Letters.Select(c => (c, f.Base)))
        .ToDictionary(p => p.c, p => p.Base);

    /// <summary>Lower case, accents removed (ı as i, ø as o, ß as ss …), apostrophes dropped, other punctuation a space.</summary>
    public static string Normalise(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var ch in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark || ch is '\'' or '’' or '`')
            {
                continue;
            }

            var lower = char.ToLowerInvariant(ch);
            var mapped = Fold.TryGetValue(lower, out var folded) ? folded
                : char.IsLetterOrDigit(lower) ? lower.ToString()
                : null;
            if (mapped is null)
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }

            result.Append(mapped);
        }

        return result.ToString();
    }

    /// <summary>Levenshtein distance, or <c>budget + 1</c> as soon as it must exceed <paramref name="budget"/>.</summary>
    public static int Distance(string a, string b, int budget)
    {
        if (Math.Abs(a.Length - b.Length) > budget)
        {
            return budget + 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowBest = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                rowBest = Math.Min(rowBest, current[j]);
            }

            if (rowBest > budget)
            {
                return budget + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
