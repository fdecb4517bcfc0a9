using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Export;

/// <summary>
/// One stored event, flattened for people and for other programs: the export's row. Field names are the JSON
/// export's (camelCase); dates are <c>YYYY[-MM[-DD]]</c> by precision. <see cref="CountryDyad"/> is the country dyad
/// the interaction counts toward (<c>TUR-UKR</c> for a <c>BAYKAR-UKR</c> event; <see cref="Dyad"/> itself for two
/// states; null when a side belongs to no state), with each side's state and CAMEO role, by the actor registry's
/// affiliations as the ledger knows them now (every recorded version), on the interaction's effective date.
/// <see cref="Provenance"/> is <c>curated</c> or the dataset an imported row came from (<see cref="Provenances"/>), and
/// <see cref="Dataset"/> what that dataset says of the row (docs/adr/0013-imported-event-data-contract.md).
/// </summary>
public sealed record LedgerEventView(
    Guid EventId,
    string Dyad,
    string Type,
    int SchemaVersion,
    string Provenance,
    string? CameoCode,
    string? Initiator,
    string? Target,
    string? CountryDyad,
    string? InitiatorState,
    string? InitiatorRole,
    string? TargetState,
    string? TargetRole,
    bool? Joint,
    string? OccurredOn,
    DateTimeOffset RecordedAt,
    string? Summary,
    string? Theatre,
    IReadOnlyList<Figure>? Figures,
    IReadOnlyList<Source> Sources,
    Guid? CorrelationId,
    IReadOnlyList<string>? Participants,
    string? Note,
    string? Agreement,
    string? Stance,
    Guid? Corrects,
    Guid? Retracts,
    string? Reason,
    EventDataProvenance? Dataset,
    long StreamVersion,
    long Position,
    string PreviousHash,
    string Hash)
{
    /// <summary>The interactions an analyst's merge (<c>interactions-merged</c>) joins; null for every other event.</summary>
    public IReadOnlyList<Guid>? Merges { get; init; }

    public static LedgerEventView From(StoredEvent stored, EventSerializer serializer, ActorRegistry actors)
    {
        var e = serializer.Deserialize(stored.Type, stored.SchemaVersion, stored.Data);
        var dyad = Domain.Dyads.Dyad.TryFromStreamId(stored.StreamId, out var d) ? d.Key : stored.StreamId;
        var facts = e switch
        {
            InteractionEvent i => i.Facts,
            InteractionCorrected c => c.Facts,
            _ => null,
        };
        var day = facts?.OccurredOn.End;
        var initiator = facts is null ? null : actors.MembershipOf(facts.Initiator, day!.Value, DateTimeOffset.MaxValue);
        var target = facts is null ? null : actors.MembershipOf(facts.Target, day!.Value, DateTimeOffset.MaxValue);
        return new LedgerEventView(
            stored.EventId,
            dyad,
            stored.Type,
            stored.SchemaVersion,
            Provenances.Of(e),
            facts?.CameoCode,
            facts?.Initiator,
            facts?.Target,
            initiator is not null && target is not null && initiator.State != target.State ? Domain.Dyads.Dyad.KeyOf(initiator.State, target.State) : null,
            initiator?.State,
            initiator?.Role,
            target?.State,
            target?.Role,
            facts?.Joint,
            facts?.OccurredOn.ToString(),
            stored.RecordedAt,
            facts?.Summary,
            facts is null ? null : System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(facts.Theatre.ToString()),
            facts?.Figures,
            e switch
            {
                InteractionCorrected c => c.Sources,
                InteractionRetracted r => r.Sources,
                InteractionsMerged m => m.Sources,
                _ => facts!.Sources,
            },
            facts?.CorrelationId,
            facts?.Participants,
            facts?.Note,
            e is AgreementSigned a ? Kebab(a.Agreement) : null,
            e is SanctionsStanceTaken s ? Kebab(s.Stance) : null,
            (e as InteractionCorrected)?.CorrectedEventId,
            (e as InteractionRetracted)?.RetractedEventId,
            e switch
            {
                InteractionCorrected c => c.Reason,
                InteractionRetracted r => r.Reason,
                InteractionsMerged m => m.Reason,
                _ => null,
            },
            (e as CodedInteraction)?.Provenance,
            stored.StreamVersion,
            stored.Position,
            stored.PreviousHash,
            stored.Hash)
        {
            Merges = (e as InteractionsMerged)?.MergedEventIds,
        };
    }

    private static string Kebab<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
