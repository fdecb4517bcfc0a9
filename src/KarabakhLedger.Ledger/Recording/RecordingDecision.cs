using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Ledger.Recording;

/// <summary>An amendment the append must still check against what is stored, with the field to blame and the stream to read.</summary>
public sealed record PendingAmendment(Amendment Amendment, string Field, string StreamId);

/// <summary>What a batch of recordings becomes: each recording's events in their dyads, and the amendments to check inside the append.</summary>
public sealed record RecordingPlan(
    IReadOnlyList<(Domain.Recording.Recording Recording, PlannedEvent Event)> Events, IReadOnlyList<PendingAmendment> Amendments);

/// <summary>
/// The decision of recording, pure: from validated recordings, the events their amendments name
/// (<see cref="AmendmentTargets"/>) and the moment of recording, the events to append, or every broken rule at once.
/// No interaction may be dated after the day of recording (<see cref="OccurrenceRule"/>); an amendment must name an
/// interaction of the ledger or the batch; a correction keeps the kind and the dyad; a merge's events are on one dyad.
/// </summary>
public static class RecordingDecision
{
    /// <exception cref="LedgerValidationException">any rule is broken; nothing is to be appended.</exception>
    public static RecordingPlan Decide(IReadOnlyList<Domain.Recording.Recording> recordings, AmendmentTargets targets, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(targets);
        OccurrenceRule.Check(recordings, recordedAt);
        var inBatch = recordings.OfType<InteractionRecording>()
            .SelectMany(r => r.Events)
            .ToDictionary(p => p.Event.EventId, p => (InteractionEvent)p.Event);
        var errors = new List<ValidationError>();
        var planned = new List<(Domain.Recording.Recording Recording, PlannedEvent Event)>();
        var amendments = new List<PendingAmendment>();
        InteractionEvent? Target(Guid id, string field)
        {
            if (inBatch.TryGetValue(id, out var batched))
            {
                return batched;
            }

            var target = targets[id];
            if (target.Interaction is null)
            {
                errors.Add(new ValidationError(field, target.OtherType is { } type
                    ? $"{id} is a '{type}' event; only interactions can be amended"
                    : $"no event {id} is in the ledger"));
            }

            return target.Interaction;
        }

        for (var i = 0; i < recordings.Count; i++)
        {
            var prefix = recordings.Count > 1 ? $"[{i}]." : "";
            switch (recordings[i])
            {
                case InteractionRecording r:
                    planned.AddRange(r.Events.Select(e => (recordings[i], e)));
                    break;
                case CorrectionRecording c when Target(c.Corrects, prefix + "corrects") is { } corrected:
                    CheckCorrection(c, corrected, prefix, errors);
                    var correction = new InteractionCorrected(c.Id, c.Corrects, c.With.Facts, c.Reason, c.Sources);
                    planned.Add((c, new PlannedEvent(corrected.Facts.Dyad, correction)));
                    amendments.Add(new PendingAmendment(Amendment.Of(correction).Single(), prefix + "corrects", corrected.Facts.Dyad.StreamId));
                    break;
                case RetractionRecording r when Target(r.Retracts, prefix + "retracts") is { } retracted:
                    var retraction = new InteractionRetracted(r.Id, r.Retracts, r.Reason, r.Sources);
                    planned.Add((r, new PlannedEvent(retracted.Facts.Dyad, retraction)));
                    amendments.Add(new PendingAmendment(Amendment.Of(retraction).Single(), prefix + "retracts", retracted.Facts.Dyad.StreamId));
                    break;
                case MergeRecording m:
                    if (MergedDyad(m, prefix, Target, errors) is { } dyad)
                    {
                        var merge = new InteractionsMerged(m.Id, m.Merges, m.Reason, m.Sources);
                        planned.Add((m, new PlannedEvent(dyad, merge)));
                        amendments.AddRange(Amendment.Of(merge).Select((a, k) => new PendingAmendment(a, $"{prefix}merges[{k}]", dyad.StreamId)));
                    }

                    break;
            }
        }

        return errors.Count > 0 ? throw new LedgerValidationException(errors) : new RecordingPlan(planned, amendments);
    }

    /// <summary>
    /// The one dyad every event of a merge is on, or null after an error for each event that does not exist, is no
    /// interaction, or is on another dyad than the first.
    /// </summary>
    private static Dyad? MergedDyad(MergeRecording m, string prefix, Func<Guid, string, InteractionEvent?> target, List<ValidationError> errors)
    {
        var before = errors.Count;
        Dyad? dyad = null;
        for (var i = 0; i < m.Merges.Count; i++)
        {
            var field = $"{prefix}merges[{i}]";
            if (target(m.Merges[i], field) is not { } merged)
            {
                continue;
            }

            dyad ??= merged.Facts.Dyad;
            if (merged.Facts.Dyad != dyad)
            {
                errors.Add(new ValidationError(field,
                    $"{m.Merges[i]} is on dyad {merged.Facts.Dyad.Key}; a merge's events are all on one dyad (the first is on {dyad.Key})"));
            }
        }

        return errors.Count == before ? dyad : null;
    }

    private static void CheckCorrection(CorrectionRecording c, InteractionEvent original, string prefix, List<ValidationError> errors)
    {
        if (c.With.GetType() != original.GetType())
        {
            errors.Add(new ValidationError(prefix + "with.type",
                $"must stay '{EventTypes.NameOf(original)}': retract and record anew to change the kind"));
        }

        if (c.With.Facts.Dyad != original.Facts.Dyad)
        {
            errors.Add(new ValidationError(prefix + "with.initiator",
                $"a correction stays in the corrected event's dyad {original.Facts.Dyad.Key} (got {c.With.Facts.Dyad.Key})"));
        }
    }
}
