using Microsoft.AspNetCore.Authorization;

namespace KarabakhLedger.Service.Security;

/// <summary>
/// The authorization policies of the endpoints and the roles each admits: the one table of who may do what
/// (docs/api.md shows it). Every endpoint names exactly one policy, or is anonymous (health, OpenAPI document).
/// </summary>
public static class LedgerPolicies
{
    /// <summary>Append to the ledger: record, record a multilateral act, correct, retract.</summary>
    public const string Record = "record";

    /// <summary>Read the ledger itself: events, derivations, chain verification.</summary>
    public const string Audit = "audit";

    /// <summary>Read projections: dyads, scores, timelines.</summary>
    public const string ReadProjections = "read-projections";

    /// <summary>Read the actor registry (reference data every role needs, e.g. to name a dyad).</summary>
    public const string ReadActors = "read-actors";

    /// <summary>Follow projection changes over Server-Sent Events.</summary>
    public const string Subscribe = "subscribe";

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Roles { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [Record] = [LedgerRoles.Analyst, LedgerRoles.Admin],
        [Audit] = [LedgerRoles.Auditor, LedgerRoles.Admin],
        [ReadProjections] = [LedgerRoles.Service, LedgerRoles.Auditor, LedgerRoles.Admin],
        [Subscribe] = [LedgerRoles.Service, LedgerRoles.Auditor, LedgerRoles.Admin],
        [ReadActors] = LedgerRoles.All,
    };

    internal static void Register(AuthorizationOptions options)
    {
        foreach (var (name, roles) in Roles)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }

        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
