using System.Collections.Immutable;

namespace KarabakhLedger.Projections.Contracts;

/// <summary>
/// Which projection generation answers queries (the active one), which one a replay is building (the pending one),
/// and which ones were replaced. Key <see cref="ProjectionKeys.Registry"/>. The first call creates generation 1,
/// active, under the configured initial model.
/// </summary>
public interface IProjectionRegistryGrain : IGrainWithStringKey
{
    Task<ProjectionGenerations> GetAsync();

    /// <summary>
    /// Starts (or, for the same model, resumes) a replay: a new pending generation whose feed reads the ledger from
    /// position 0. A pending replay under another model is abandoned.
    /// </summary>
    Task<GenerationInfo> BeginReplayAsync(string modelKey);

    /// <summary>
    /// Called by the pending generation's feed when it has reached the end of the ledger: the pending generation
    /// becomes the active one and the old active one is retired. False when <paramref name="generation"/> is not
    /// pending (any more).
    /// </summary>
    Task<bool> CompleteReplayAsync(int generation, long position);

    /// <summary>Drops a pending generation; its feed stops at its next tick.</summary>
    Task AbandonReplayAsync(int generation);
}

[GenerateSerializer]
public enum GenerationRole
{
    Unknown = 0,
    Active = 1,
    Pending = 2,
    Retired = 3,
}

/// <summary>A projection generation: its number, the model it answers with by default, and its history.</summary>
[GenerateSerializer, Immutable, Alias("karabakh.generation")]
public sealed record GenerationInfo(
    [property: Id(0)] int Id,
    [property: Id(1)] string ModelKey,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? ActivatedAt,
    [property: Id(4)] long? ActivatedAtPosition);

[GenerateSerializer, Immutable, Alias("karabakh.generations")]
public sealed record ProjectionGenerations(
    [property: Id(0)] GenerationInfo Active,
    [property: Id(1)] GenerationInfo? Pending,
    [property: Id(2)] ImmutableArray<GenerationInfo> Retired)
{
    public GenerationRole RoleOf(int generation) =>
        Active.Id == generation ? GenerationRole.Active
        : Pending?.Id == generation ? GenerationRole.Pending
        : Retired.Any(g => g.Id == generation) ? GenerationRole.Retired
        : GenerationRole.Unknown;
}
