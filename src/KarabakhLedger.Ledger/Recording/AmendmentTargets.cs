using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Recording;

/// <summary>What the ledger holds under an id an amendment names: an interaction, another kind of event, or nothing.</summary>
public sealed record AmendmentTarget(InteractionEvent? Interaction, string? OtherType)
{
    public static AmendmentTarget Missing { get; } = new(null, null);
}

/// <summary>
/// The load step of recording: every event that the batch's corrections, retractions and merges name and that the
/// batch itself does not hold, read from the ledger once. What an event is never changes once stored, so this may be
/// read before the append; whether it is still open to amendment is decided inside the append
/// (<see cref="AmendmentRules"/>).
/// </summary>
public sealed class AmendmentTargets(IReadOnlyDictionary<Guid, AmendmentTarget> stored)
{
    /// <summary>Targets for a batch that amends nothing stored.</summary>
    public static AmendmentTargets None { get; } = new(new Dictionary<Guid, AmendmentTarget>());

    /// <summary>What the ledger holds under <paramref name="id"/>; <see cref="AmendmentTarget.Missing"/> when it was not loaded or is not there.</summary>
    public AmendmentTarget this[Guid id] => stored.TryGetValue(id, out var target) ? target : AmendmentTarget.Missing;

    public static async Task<AmendmentTargets> LoadAsync(
        ILedgerStore store, EventSerializer serializer, IReadOnlyList<Domain.Recording.Recording> recordings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(recordings);
        var inBatch = recordings.OfType<InteractionRecording>().SelectMany(r => r.Events).Select(e => e.Event.EventId).ToHashSet();
        var named = recordings.SelectMany(r => r switch
        {
            CorrectionRecording c => [c.Corrects],
            RetractionRecording retraction => [retraction.Retracts],
            MergeRecording m => m.Merges,
            _ => (IEnumerable<Guid>)[],
        }).Where(id => !inBatch.Contains(id)).Distinct();
        var loaded = new Dictionary<Guid, AmendmentTarget>();
        foreach (var id in named)
        {
            var e = await store.FindEventAsync(id, cancellationToken);
            loaded[id] = e is null ? AmendmentTarget.Missing
                : serializer.Deserialize(e.Type, e.SchemaVersion, e.Data) is InteractionEvent interaction ? new AmendmentTarget(interaction, null)
                : new AmendmentTarget(null, e.Type);
        }

        return new AmendmentTargets(loaded);
    }
}
