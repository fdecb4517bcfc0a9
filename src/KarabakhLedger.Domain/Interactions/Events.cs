using System.Text.Json.Serialization;

namespace KarabakhLedger.Domain.Interactions;

/// <summary>Every event stored in a dyad stream has its own id, the ledger's idempotency key.</summary>
public interface ILedgerEvent
{
    Guid EventId { get; }
}

/// <summary>An interaction between the two actors of a dyad. One sealed record per kind of interaction.</summary>
public abstract record InteractionEvent(InteractionFacts Facts) : ILedgerEvent
{
    [JsonIgnore]
    public Guid EventId => Facts.EventId;
}

public enum AgreementKind
{
    FreeTrade,
    Memorandum,
    GrainDeal,
    Ceasefire,
    Armistice,
    Cooperation,
    Other,
}

public enum SanctionsStance
{
    Joined,
    Declined,
    Criticised,
}

public sealed record StraitsClosed(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record StraitsReopened(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record AirspaceClosed(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record AirspaceReopened(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record ArmsSold(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record ArmsDonated(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record DefenceCoProductionAgreed(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record SanctionsImposed(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record SanctionsLifted(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record SanctionsStanceTaken(InteractionFacts Facts, SanctionsStance Stance) : InteractionEvent(Facts);

public sealed record MediationConducted(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record TalksHeld(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record AgreementSigned(InteractionFacts Facts, AgreementKind Agreement) : InteractionEvent(Facts);

public sealed record PrisonersExchanged(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record PeacekeepersDeployed(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record PeacekeepersWithdrawn(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record MonitoringMissionEstablished(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record MilitarySupportProvided(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record StrikeCarriedOut(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record ThreatIssued(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record CondemnationIssued(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record AppealMade(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record TradeCooperation(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record EnergyCooperation(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record VisitMade(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record RecognitionExtended(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record RefusalIssued(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record DiplomaticCooperation(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record TerritoryAnnexed(InteractionFacts Facts) : InteractionEvent(Facts);

public sealed record ForcePostureShown(InteractionFacts Facts) : InteractionEvent(Facts);

/// <summary>Replaces the facts of an earlier interaction in the same dyad stream; the original stays stored.</summary>
public sealed record InteractionCorrected(
    Guid EventId,
    Guid CorrectedEventId,
    InteractionFacts Facts,
    string Reason,
    IReadOnlyList<Source> Sources) : ILedgerEvent;

/// <summary>Withdraws an earlier interaction in the same dyad stream; the original stays stored.</summary>
public sealed record InteractionRetracted(
    Guid EventId,
    Guid RetractedEventId,
    string Reason,
    IReadOnlyList<Source> Sources) : ILedgerEvent;

/// <summary>
/// An analyst's judgment that earlier interactions of the same dyad stream are one: the fold counts the group once
/// (the earliest by global position) and lists the others as set aside by this merge. Nothing is deleted.
/// </summary>
public sealed record InteractionsMerged(
    Guid EventId,
    IReadOnlyList<Guid> MergedEventIds,
    string Reason,
    IReadOnlyList<Source> Sources) : ILedgerEvent;
