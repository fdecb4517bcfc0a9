namespace KarabakhLedger.Domain.Actors;

/// <summary>What an actor is: a state (ISO 3166-1 alpha-3 code) or a named non-state party.</summary>
public enum ActorKind
{
    State,
    InternationalOrganisation,
    Company,
    NonStateArmedGroup,
    NonStateAuthority,
    SelfDeclaredEntity,
}

/// <summary>A party to interactions, as listed in the actor registry.</summary>
public sealed record Actor(string Code, string Name, ActorKind Kind);
