using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// The ledger records what has happened, not what is forecast or planned: an interaction's <c>occurredOn</c> must
/// begin no later than the day it is recorded (UTC). A month or a year that has begun is accepted, since part of it
/// has happened; one that has not begun is refused. A plan or a forecast is recorded once it happens.
/// </summary>
public static class OccurrenceRule
{
    /// <exception cref="LedgerValidationException">an interaction or a correction is dated after <paramref name="recordedAt"/>.</exception>
    public static void Check(IReadOnlyList<Recording> recordings, DateTimeOffset recordedAt)
    {
        var today = DateOnly.FromDateTime(recordedAt.UtcDateTime);
        var errors = new ErrorList();
        for (var i = 0; i < recordings.Count; i++)
        {
            var at = recordings.Count > 1 ? errors.At($"[{i}]") : errors;
            var (field, facts) = recordings[i] switch
            {
                InteractionRecording r => ("occurredOn", r.Events.Select(e => e.Event).OfType<Interactions.InteractionEvent>().FirstOrDefault()?.Facts),
                CorrectionRecording c => ("with.occurredOn", c.With.Facts),
                _ => ("", null),
            };
            if (facts is not null && facts.OccurredOn.Start > today)
            {
                at.Add(field, $"{facts.OccurredOn} begins after the day it is recorded ({today:yyyy-MM-dd}); the ledger records what has happened, not forecasts or plans");
            }
        }

        errors.ThrowIfAny();
    }
}
