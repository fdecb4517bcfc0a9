using System.Collections.Immutable;
using KarabakhLedger.Projections.Contracts;

namespace KarabakhLedger.Projections.Grains;

/// <summary>The name of the grain storage provider that keeps all projection state.</summary>
public static class ProjectionStorage
{
    public const string Name = "ledger";
}

/// <summary>
/// A feed's checkpoint: every event up to <see cref="Checkpoint"/> has been acknowledged by its dyad grain. The id
/// and hash of the event at the checkpoint tie it to one ledger, so a checkpoint kept for another ledger is noticed.
/// </summary>
[GenerateSerializer, Alias("karabakh.feed-state")]
public sealed class FeedState
{
    [Id(0)]
    public long Checkpoint { get; set; }

    [Id(1)]
    public long Delivered { get; set; }

    [Id(2)]
    public Guid LastEventId { get; set; }

    [Id(3)]
    public string? LastHash { get; set; }

    /// <summary>
    /// True once the feed writes the change log with every batch. A state stored before the change log existed reads
    /// false, and the feed then delivers the ledger again from position 0 so that the log is complete.
    /// </summary>
    [Id(4)]
    public bool ChangeLogged { get; set; }
}

/// <summary>
/// A dyad grain's snapshot as it was stored before ADR 28: its stream's events from version 1, in order, exactly as
/// stored, all in one blob of Orleans' serializer. No longer written; <see cref="Storage.DyadSnapshots"/> still reads
/// it (upcasts it to events) and the grain's next save replaces it by the chunked form.
/// </summary>
[GenerateSerializer, Alias("karabakh.dyad-snapshot")]
public sealed class DyadSnapshot
{
    [Id(0)]
    public ImmutableArray<LedgerEventMessage> Events { get; set; } = [];
}

[GenerateSerializer, Alias("karabakh.registry-state")]
public sealed class RegistryState
{
    [Id(0)]
    public int NextGeneration { get; set; } = 1;

    [Id(1)]
    public GenerationInfo? Active { get; set; }

    [Id(2)]
    public GenerationInfo? Pending { get; set; }

    [Id(3)]
    public List<GenerationInfo> Retired { get; set; } = [];
}

/// <summary>A country dyad's roll-up index: the other actor pairs that could roll up into it, by key.</summary>
[GenerateSerializer, Alias("karabakh.rollup-index")]
public sealed class RollupIndexState
{
    [Id(0)]
    public List<string> Dyads { get; set; } = [];
}
