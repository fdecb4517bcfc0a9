using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Ledger.Recording;

/// <summary>
/// A correction, a retraction, or one interaction a merge joins: the amending event's own id and the id of the
/// interaction it amends.
/// </summary>
public sealed record Amendment(Guid Id, Guid Target, bool Retracts)
{
    /// <summary>The amendments <paramref name="e"/> makes: one per interaction it names; none when it is no amendment.</summary>
    public static IEnumerable<Amendment> Of(ILedgerEvent e) => e switch
    {
        InteractionRetracted r => [new Amendment(r.EventId, r.RetractedEventId, Retracts: true)],
        InteractionCorrected c => [new Amendment(c.EventId, c.CorrectedEventId, Retracts: false)],
        InteractionsMerged m => m.MergedEventIds.Select(id => new Amendment(m.EventId, id, Retracts: false)),
        _ => [],
    };
}

/// <summary>
/// What a retraction ends: once an interaction is retracted it can be neither corrected, retracted again nor merged. The one
/// place this is decided. Both stores call it through the append's precondition, with the amendments they hold read
/// inside the append's transaction and lock, so two concurrent writers cannot both pass
/// (docs/adr/0015-amendment-checks-inside-the-append.md).
/// </summary>
public static class AmendmentRules
{
    /// <summary>
    /// Checks <paramref name="batch"/>, in its order, against the amendments already <paramref name="stored"/> in the
    /// streams of the amended events and against those earlier in the same batch. An amendment whose id is already
    /// stored is a replay and passes (the store reports it as already appended). Every broken rule is returned,
    /// naming the batch item's field.
    /// </summary>
    public static IReadOnlyList<ValidationError> Check(IEnumerable<Amendment> stored, IReadOnlyList<(Amendment Amendment, string Field)> batch)
    {
        var retractedBy = new Dictionary<Guid, Guid>();
        var storedIds = new HashSet<Guid>();
        foreach (var a in stored)
        {
            storedIds.Add(a.Id);
            if (a.Retracts)
            {
                retractedBy.TryAdd(a.Target, a.Id);
            }
        }

        var retractedInBatch = new HashSet<Guid>();
        var errors = new List<ValidationError>();
        foreach (var (a, field) in batch)
        {
            if (storedIds.Contains(a.Id))
            {
                continue;
            }

            if (retractedBy.TryGetValue(a.Target, out var by))
            {
                var where = retractedInBatch.Contains(by) ? " earlier in this batch" : "";
                errors.Add(new ValidationError(field, $"{a.Target} was retracted by {by}{where}; record it anew instead"));
            }
            else if (a.Retracts)
            {
                retractedBy[a.Target] = a.Id;
                retractedInBatch.Add(a.Id);
            }
        }

        return errors;
    }
}
