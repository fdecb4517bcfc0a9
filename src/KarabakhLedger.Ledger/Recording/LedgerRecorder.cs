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
/// Appends validated recordings to the ledger: a whole batch in one atomic append across all the dyad streams it
/// touches, in three steps. Load: the events the amendments name (<see cref="AmendmentTargets"/>). Decide, pure:
/// what to append, or every broken rule (<see cref="RecordingDecision"/>). Append: with the amendments checked
/// against those already stored inside the append's lock (<see cref="AmendmentRules"/>). A batch with any broken rule
/// appends nothing.
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
        var targets = await AmendmentTargets.LoadAsync(store, serializer, recordings, cancellationToken);
        var plan = RecordingDecision.Decide(recordings, targets, clock.GetUtcNow());
        var (planned, amendments) = (plan.Events, plan.Amendments);
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
    /// The precondition that runs <see cref="AmendmentRules"/> inside the append: it reads the amendments stored in the
    /// streams of the amended events through the append's own snapshot, under its lock.
    /// </summary>
    private AppendPrecondition CheckAmendments(IReadOnlyList<PendingAmendment> amendments) =>
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
}
