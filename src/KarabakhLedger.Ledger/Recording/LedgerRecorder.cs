using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Telemetry;

namespace KarabakhLedger.Ledger.Recording;

/// <summary>What one recorded object became: its events in their streams, each appended or already there.</summary>
public sealed record RecordedItem(Domain.Recording.Recording Recording, IReadOnlyList<AppendedEvent> Events)
{
    public bool WasNew => Events.Any(e => e.Status == AppendStatus.Appended);
}

/// <summary>
/// Appends validated recordings to the ledger: a whole batch in one atomic append across all the dyad streams
/// it touches. Corrections, retractions and merges are checked against the event they amend first, and against the
/// amendments already stored, inside the append's lock (<see cref="AmendmentRules"/>); a batch with any broken rule
/// appends nothing. Interactions dated after the day of recording are refused (<see cref="OccurrenceRule"/>).
/// </summary>
public sealed class LedgerRecorder(ILedgerStore store, EventSerializer serializer, TimeProvider clock)
{
    /// <param name="expected">
    /// The version the one dyad stream the batch touches must be at; default <see cref="ExpectedVersion.Any"/>.
    /// A batch that touches several streams cannot name one.
    /// </param>
    public async Task<IReadOnlyList<RecordedItem>> RecordAsync(
        IReadOnlyList<Domain.Recording.Recording> recordings, ExpectedVersion? expected = null, CancellationToken cancellationToken = default)
    {
        OccurrenceRule.Check(recordings, clock.GetUtcNow());
        var inBatch = recordings.OfType<InteractionRecording>()
            .SelectMany(r => r.Events)
            .ToDictionary(p => p.Event.EventId, p => (InteractionEvent)p.Event);
        var errors = new List<ValidationError>();
        var planned = new List<(Domain.Recording.Recording Recording, PlannedEvent Event)>();
        var amendments = new List<(Amendment Amendment, string Field, string StreamId)>();
        for (var i = 0; i < recordings.Count; i++)
        {
            var prefix = recordings.Count > 1 ? $"[{i}]." : "";
            switch (recordings[i])
            {
                case InteractionRecording r:
                    planned.AddRange(r.Events.Select(e => (recordings[i], e)));
                    break;
                case CorrectionRecording c:
                    var corrected = await TargetAsync(c.Corrects, prefix + "corrects", inBatch, errors, cancellationToken);
                    if (corrected is not null)
                    {
                        CheckCorrection(c, corrected, prefix, errors);
                        var correction = new InteractionCorrected(c.Id, c.Corrects, c.With.Facts, c.Reason, c.Sources);
                        planned.Add((c, new PlannedEvent(corrected.Facts.Dyad, correction)));
                        amendments.Add((Amendment.Of(correction).Single(), prefix + "corrects", corrected.Facts.Dyad.StreamId));
                    }

                    break;
                case RetractionRecording r:
                    var retracted = await TargetAsync(r.Retracts, prefix + "retracts", inBatch, errors, cancellationToken);
                    if (retracted is not null)
                    {
                        var retraction = new InteractionRetracted(r.Id, r.Retracts, r.Reason, r.Sources);
                        planned.Add((r, new PlannedEvent(retracted.Facts.Dyad, retraction)));
                        amendments.Add((Amendment.Of(retraction).Single(), prefix + "retracts", retracted.Facts.Dyad.StreamId));
                    }

                    break;
                case MergeRecording m:
                    if (await MergedDyadAsync(m, prefix, inBatch, errors, cancellationToken) is { } dyad)
                    {
                        var merge = new InteractionsMerged(m.Id, m.Merges, m.Reason, m.Sources);
                        planned.Add((m, new PlannedEvent(dyad, merge)));
                        amendments.AddRange(Amendment.Of(merge).Select((a, i) => (a, $"{prefix}merges[{i}]", dyad.StreamId)));
                    }

                    break;
            }
        }

        if (errors.Count > 0)
        {
            throw new LedgerValidationException(errors);
        }

        var appends = planned
            .GroupBy(p => p.Event.Dyad.StreamId, StringComparer.Ordinal)
            .Select(g => new StreamAppend(g.Key, expected ?? ExpectedVersion.Any, g.Select(p => ToAppend(p.Event.Event)).ToArray()))
            .ToArray();
        Dictionary<Guid, AppendedEvent> results;
        if (expected is { IsAny: false } && appends.Length != 1)
        {
            throw new InvalidOperationException($"An expected version guards one stream; this append touches {appends.Length}.");
        }

        using (var span = LedgerTelemetry.Start("ledger.append"))
        {
            span?.SetTag("ledger.streams", appends.Length);
            span?.SetTag("ledger.stream", appends.Length == 1 ? appends[0].StreamId : null);
            span?.SetTag("ledger.events", planned.Count);
            var precondition = amendments.Count == 0 ? null : CheckAmendments(amendments);
            results = (await store.AppendAsync(appends, precondition, cancellationToken)).ToDictionary(r => r.EventId);
            var appended = results.Values.Count(r => r.Status == AppendStatus.Appended);
            span?.SetTag("ledger.appended", appended);
            LedgerTelemetry.EventsAppended.Add(appended, new KeyValuePair<string, object?>("ledger.write", "record"));
        }

        return planned
            .GroupBy(p => p.Recording)
            .Select(g => new RecordedItem(g.Key, g.Select(p => results[p.Event.Event.EventId]).ToArray()))
            .ToArray();
    }

    private EventToAppend ToAppend(ILedgerEvent e)
    {
        var serialized = serializer.Serialize(e);
        return new EventToAppend(e.EventId, serialized.Type, serialized.SchemaVersion, serialized.Json);
    }

    /// <summary>
    /// The interaction an amendment names, from the batch or the ledger. What an event is never changes once stored, so
    /// this may be read before the append; whether it is still open to amendment is checked inside it.
    /// </summary>
    private async Task<InteractionEvent?> TargetAsync(
        Guid id, string field, Dictionary<Guid, InteractionEvent> inBatch, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (inBatch.TryGetValue(id, out var planned))
        {
            return planned;
        }

        var stored = await store.FindEventAsync(id, cancellationToken);
        if (stored is null)
        {
            errors.Add(new ValidationError(field, $"no event {id} is in the ledger"));
            return null;
        }

        if (serializer.Deserialize(stored.Type, stored.SchemaVersion, stored.Data) is not InteractionEvent interaction)
        {
            errors.Add(new ValidationError(field, $"{id} is a '{stored.Type}' event; only interactions can be amended"));
            return null;
        }

        return interaction;
    }

    /// <summary>
    /// The one dyad every event of a merge is on, or null after adding an error for each event that does not exist, is
    /// no interaction, or is on another dyad than the first. Whether one was retracted is decided inside the append
    /// (<see cref="AmendmentRules"/>).
    /// </summary>
    private async Task<Dyad?> MergedDyadAsync(
        MergeRecording m, string prefix, Dictionary<Guid, InteractionEvent> inBatch, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        var before = errors.Count;
        Dyad? dyad = null;
        for (var i = 0; i < m.Merges.Count; i++)
        {
            var field = $"{prefix}merges[{i}]";
            if (await TargetAsync(m.Merges[i], field, inBatch, errors, cancellationToken) is not { } merged)
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

    /// <summary>
    /// The precondition that runs <see cref="AmendmentRules"/> inside the append: it reads the amendments stored in the
    /// streams of the amended events through the append's own snapshot, under its lock.
    /// </summary>
    private AppendPrecondition CheckAmendments(IReadOnlyList<(Amendment Amendment, string Field, string StreamId)> amendments) =>
        async (ledger, cancellationToken) =>
        {
            var stored = new List<Amendment>();
            foreach (var streamId in amendments.Select(a => a.StreamId).Distinct(StringComparer.Ordinal))
            {
                await foreach (var e in ledger.ReadStreamAsync(streamId, cancellationToken))
                {
                    if (e.Type is "interaction-retracted" or "interaction-corrected" or "interactions-merged")
                    {
                        stored.AddRange(Amendment.Of(serializer.Deserialize(e.Type, e.SchemaVersion, e.Data)));
                    }
                }
            }

            var errors = AmendmentRules.Check(stored, amendments.Select(a => (a.Amendment, a.Field)).ToArray());
            if (errors.Count > 0)
            {
                throw new LedgerValidationException(errors);
            }
        };

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
