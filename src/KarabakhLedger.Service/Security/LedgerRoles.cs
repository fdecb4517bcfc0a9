namespace KarabakhLedger.Service.Security;

/// <summary>
/// The roles a caller can hold (from its API key's configuration or its token's <c>role</c> claims). A caller may
/// hold several; what each may do is <see cref="LedgerPolicies"/>.
/// </summary>
public static class LedgerRoles
{
    /// <summary>Records, corrects and retracts interactions.</summary>
    public const string Analyst = "analyst";

    /// <summary>Reads everything: raw events, projections, derivations, subscriptions and chain verification.</summary>
    public const string Auditor = "auditor";

    /// <summary>Another program: reads projections (dyads, scores, timelines) and subscribes to their changes.</summary>
    public const string Service = "service";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Analyst, Auditor, Service, Admin];
}
