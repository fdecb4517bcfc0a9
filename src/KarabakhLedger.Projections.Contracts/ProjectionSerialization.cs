using KarabakhLedger.Domain.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace KarabakhLedger.Projections.Contracts;

/// <summary>
/// How the scoring library's plain records (<c>ScoreQuery</c>, <c>ScoreResult</c>, <c>TimelineResult</c>, <c>Bucket</c>
/// and what they contain) cross grain calls: as JSON with the ledger's own conventions (<see cref="LedgerJson.Options"/>),
/// which write decimals with their scale, dates as ISO text and enums as kebab-case names, so a result arrives equal
/// to the one computed. Every client and silo must register it (the silo hosting does).
/// </summary>
public static class ProjectionSerialization
{
    public const string ScoringNamespace = "KarabakhLedger.Scoring";

    /// <summary>True for the types of <see cref="ScoringNamespace"/> and its sub-namespaces.</summary>
    public static bool IsSupported(Type type) =>
        type.Namespace is { } ns && (ns == ScoringNamespace || ns.StartsWith(ScoringNamespace + ".", StringComparison.Ordinal));

    public static IServiceCollection AddLedgerProjectionSerialization(this IServiceCollection services) =>
        services.AddSerializer(builder => builder.AddJsonSerializer(IsSupported, LedgerJson.Options));
}
