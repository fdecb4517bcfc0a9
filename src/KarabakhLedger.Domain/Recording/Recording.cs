using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Recording;

/// <summary>An event bound for the stream of one dyad.</summary>
public sealed record PlannedEvent(Dyad Dyad, ILedgerEvent Event);

/// <summary>One validated object of the recording format, ready to be appended.</summary>
public abstract record Recording(Guid Id);

/// <summary>
/// A bilateral interaction (one event) or a multilateral act fanned out to every affected dyad (one event per
/// dyad, all sharing <see cref="Recording.Id"/> as correlation id).
/// </summary>
public sealed record InteractionRecording(Guid Id, EventType Type, IReadOnlyList<PlannedEvent> Events) : Recording(Id);

/// <summary>A correction of <see cref="Corrects"/>; <see cref="With"/> holds the corrected interaction.</summary>
public sealed record CorrectionRecording(Guid Id, Guid Corrects, InteractionEvent With, string Reason, IReadOnlyList<Source> Sources)
    : Recording(Id);

/// <summary>A retraction of <see cref="Retracts"/>.</summary>
public sealed record RetractionRecording(Guid Id, Guid Retracts, string Reason, IReadOnlyList<Source> Sources) : Recording(Id);

/// <summary>A merge of <see cref="Merges"/> (two or more interactions of one dyad stream) into one.</summary>
public sealed record MergeRecording(Guid Id, IReadOnlyList<Guid> Merges, string Reason, IReadOnlyList<Source> Sources) : Recording(Id);
