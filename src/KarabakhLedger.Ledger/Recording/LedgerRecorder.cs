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
/// it touches. Corrections, retractions and merges are checked against the events they amend first; a batch with any
/// broken rule appends nothing. Interactions dated after the day of recording are refused (<see cref="OccurrenceRule"/>).
/// </summary>
public sealed class LedgerRecorder(ILedgerStore store, EventSerializer serializer, TimeProvider clock)
{
    /// <param name="expected">
    /// The version the one dyad stream the batch touches must be at; default <see cref="ExpectedVersion.Any"/>.
    /// A batch that touches several streams cannot name one.
    /// </param>
    public async Task<IReadOnlyList<RecordedItem>> RecordAsync(
        IReadOnlyList<Domain.Recording.Recording> recordings, CancellationToken cancellationToken = default, ExpectedVersion? expected = null)
    {
        OccurrenceRule.Check(recordings, clock.GetUtcNow());
        var inBatch = recordings.OfType<InteractionRecording>()
            .SelectMany(r => r.Events)
            .ToDictionary(p => p.Event.EventId, p => (InteractionEvent)p.Event);
        var errors = new List<ValidationError>();
        var planned = new List<(Domain.Recording.Recording Recording, PlannedEvent Event)>();
        for (var i = 0; i < recordings.Count; i++)
        {
            var prefix = recordings.Count > 1 ? $"[{i}]." : "";
            switch (recordings[i])
            {
                case InteractionRecording r:
                    planned.AddRange(r.Events.Select(e => (recordings[i], e)));
                    break;
                case CorrectionRecording c:
                    var corrected = await TargetAsync(c.Corrects, c.Id, prefix + "corrects", inBatch, errors, cancellationToken);
                    if (corrected is not null)
                    {
                        CheckCorrection(c, corrected, prefix, errors);
                        planned.Add((c, new PlannedEvent(corrected.Facts.Dyad,
                            new InteractionCorrected(c.Id, c.Corrects, c.With.Facts, c.Reason, c.Sources))));
                    }

                    break;
                case RetractionRecording r:
                    var retracted = await TargetAsync(r.Retracts, r.Id, prefix + "retracts", inBatch, errors, cancellationToken);
                    if (retracted is not null)
                    {
                        planned.Add((r, new PlannedEvent(retracted.Facts.Dyad,
                            new InteractionRetracted(r.Id, r.Retracts, r.Reason, r.Sources))));
                    }

                    break;
                case MergeRecording m:
                    if (await MergedDyadAsync(m, prefix, inBatch, errors, cancellationToken) is { } dyad)
                    {
                        planned.Add((m, new PlannedEvent(dyad, new InteractionsMerged(m.Id, m.Merges, m.Reason, m.Sources))));
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
            results = (await store.AppendAsync(appends, cancellationToken)).ToDictionary(r => r.EventId);
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

    private async Task<InteractionEvent?> TargetAsync(
        Guid id, Guid self, string field, Dictionary<Guid, InteractionEvent> inBatch, List<ValidationError> errors, CancellationToken cancellationToken)
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

        var retraction = await FindRetractionAsync(stored.StreamId, id, cancellationToken);
        if (retraction is not null && retraction.EventId != self)
        {
            errors.Add(new ValidationError(field, $"{id} was retracted by {retraction.EventId}; record it anew instead"));
            return null;
        }

        return interaction;
    }

    /// <summary>
    /// The one dyad every event of a merge is on, or null after adding an error for each event that does not exist, is
    /// no interaction, was retracted, or is on another dyad than the first.
    /// </summary>
    private async Task<Dyad?> MergedDyadAsync(
        MergeRecording m, string prefix, Dictionary<Guid, InteractionEvent> inBatch, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        var before = errors.Count;
        Dyad? dyad = null;
        for (var i = 0; i < m.Merges.Count; i++)
        {
            var field = $"{prefix}merges[{i}]";
            if (await TargetAsync(m.Merges[i], m.Id, field, inBatch, errors, cancellationToken) is not { } merged)
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

    private async Task<InteractionRetracted?> FindRetractionAsync(string streamId, Guid id, CancellationToken cancellationToken)
    {
        await foreach (var e in store.ReadStreamAsync(streamId, cancellationToken: cancellationToken))
        {
            if (e.Type == "interaction-retracted"
                && serializer.Deserialize(e.Type, e.SchemaVersion, e.Data) is InteractionRetracted r
                && r.RetractedEventId == id)
            {
                return r;
            }
        }

        return null;
    }

    private static void CheckCorrection(CorrectionRecording c, InteractionEvent original, string prefix, List<ValidationError> errors)
    {
        if (c.With.GetType() != original.GetType())
        {
            errors.Add(new ValidationError(prefix + "with.type",
                $"must stay '{EventTypes.All.Single(t => t.ClrType == original.GetType()).Name}': retract and record anew to change the kind"));
        }

        if (c.With.Facts.Dyad != original.Facts.Dyad)
        {
            errors.Add(new ValidationError(prefix + "with.initiator",
                $"a correction stays in the corrected event's dyad {original.Facts.Dyad.Key} (got {c.With.Facts.Dyad.Key})"));
        }
    }
}
