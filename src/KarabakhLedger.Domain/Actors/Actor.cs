namespace KarabakhLedger.Domain.Actors;

/// <summary>What an actor is, and which table it comes from.</summary>
public enum ActorKind
{
    /// <summary>An ISO 3166-1 entry (alpha-3 code), or a state-like entity the project lists (Kosovo, the former Netherlands Antilles).</summary>
    State,

    /// <summary>A CAMEO regional or sub-national code (EUR, MEA, WSB …). Sub-national codes roll up to their state.</summary>
    Region,

    /// <summary>A state's or region's sector in CAMEO's composite coding: a country code and one to three role codes (TURMIL, UKRGOVMIL).</summary>
    Sector,

    InternationalOrganisation,

    /// <summary>A CAMEO known-group code (cameo_known_groups.tsv) that the project does not list itself.</summary>
    KnownGroup,

    Company,
    NonStateArmedGroup,
    NonStateAuthority,
    SelfDeclaredEntity,
}

/// <summary>
/// A party to interactions, as the actor registry lists it. <see cref="Country"/> is the state its code itself
/// places it in (a state is its own; TURMIL is TUR's; WSB is PSE's), null where only an affiliation can (Baykar) or
/// nothing does (NATO). <see cref="Roles"/> are the CAMEO role codes of a sector (MIL, GOV …). <see cref="Names"/> are
/// every name it answers to besides its code, the first being <see cref="Name"/>.
/// </summary>
public sealed record Actor(string Code, string Name, ActorKind Kind)
{
    public string? Country { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The table the actor comes from, e.g. <c>iso3166.tsv</c> or <c>actors.tsv</c>.</summary>
    public string Source { get; init; } = "";
}

/// <summary>
/// One recorded version of an actor's membership of a state: from <see cref="ValidFrom"/> to <see cref="ValidTo"/>
/// (valid time, both inclusive, open where null), as the ledger knew it from <see cref="RecordedAt"/> (transaction
/// time; null means known from the start). A version whose <see cref="State"/> is null says the actor belongs to no
/// state over that interval.
/// </summary>
public sealed record Affiliation(string Actor, string? State, string? Role, DateOnly? ValidFrom, DateOnly? ValidTo, DateTimeOffset? RecordedAt, string Note)
{
    public bool IsKnownAt(DateTimeOffset knownAt) => RecordedAt is not { } recorded || recorded <= knownAt;

    public bool Covers(DateOnly day) => (ValidFrom is not { } from || from <= day) && (ValidTo is not { } to || day <= to);
}

/// <summary>
/// The state an actor counted as on one day, as known at one time: <see cref="State"/>, in <see cref="Role"/> (a
/// CAMEO role code, or null for the state itself), and by which rule (<see cref="Basis"/>, for derivations).
/// </summary>
public sealed record Membership(string Actor, string State, string? Role, string Basis);
