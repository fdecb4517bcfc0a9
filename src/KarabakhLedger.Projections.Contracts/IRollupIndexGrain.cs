using System.Collections.Immutable;

namespace KarabakhLedger.Projections.Contracts;

/// <summary>
/// The roll-up index of one country dyad in one generation: every other actor pair whose stream could roll up into
/// it under some recorded affiliation (BAYKAR-UKR into TUR-UKR), as registered by the generation's feed before it
/// delivers the pair's first events. Whether each interaction counts is decided at query time, by its date and the
/// query's known-at time. Key: <see cref="ProjectionKeys.RollupIndex"/>, e.g. <c>"1/TUR-UKR"</c>.
/// </summary>
public interface IRollupIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds an actor pair (a dyad key); idempotent, and durable before it returns.</summary>
    Task RegisterAsync(string dyad);

    /// <summary>The registered actor pairs, by key.</summary>
    Task<ImmutableArray<string>> GetAsync();

    /// <summary>Deactivates the grain once this call is done (its generation was retired); what it registered stays stored.</summary>
    Task ReleaseAsync();
}
