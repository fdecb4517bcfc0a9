using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Contracts;

/// <summary>
/// Every event type the ledger stores, by stable name. The interaction names are also the <c>type</c> values
/// of the recording format. Renaming an entry breaks stored events: add a new type or an upcaster instead.
/// </summary>
public static class EventTypes
{
    public static IReadOnlyList<EventType> All { get; } =
    [
        new("straits-closed", 1, typeof(StraitsClosed)),
        new("straits-reopened", 1, typeof(StraitsReopened)),
        new("airspace-closed", 1, typeof(AirspaceClosed)),
        new("airspace-reopened", 1, typeof(AirspaceReopened)),
        new("arms-sold", 1, typeof(ArmsSold)),
        new("arms-donated", 1, typeof(ArmsDonated)),
        new("defence-co-production", 1, typeof(DefenceCoProductionAgreed)),
        new("sanctions-imposed", 1, typeof(SanctionsImposed)),
        new("sanctions-lifted", 1, typeof(SanctionsLifted)),
        new("sanctions-stance", 1, typeof(SanctionsStanceTaken)),
        new("mediation", 1, typeof(MediationConducted)),
        new("talks-held", 1, typeof(TalksHeld)),
        new("agreement-signed", 1, typeof(AgreementSigned)),
        new("prisoner-exchange", 1, typeof(PrisonersExchanged)),
        new("peacekeeping-deployed", 1, typeof(PeacekeepersDeployed)),
        new("peacekeeping-withdrawn", 1, typeof(PeacekeepersWithdrawn)),
        new("monitoring-mission", 1, typeof(MonitoringMissionEstablished)),
        new("military-support", 1, typeof(MilitarySupportProvided)),
        new("strike", 1, typeof(StrikeCarriedOut)),
        new("threat", 1, typeof(ThreatIssued)),
        new("condemnation", 1, typeof(CondemnationIssued)),
        new("appeal", 1, typeof(AppealMade)),
        new("trade-cooperation", 1, typeof(TradeCooperation)),
        new("energy-cooperation", 1, typeof(EnergyCooperation)),
        new("visit", 1, typeof(VisitMade)),
        new("recognition", 1, typeof(RecognitionExtended)),
        new("refusal", 1, typeof(RefusalIssued)),
        new("diplomatic-cooperation", 1, typeof(DiplomaticCooperation)),
        new("annexation", 1, typeof(TerritoryAnnexed)),
        new("force-posture", 1, typeof(ForcePostureShown)),
        new("coded-interaction", 1, typeof(CodedInteraction)),
        new("interaction-corrected", 1, typeof(InteractionCorrected)),
        new("interaction-retracted", 1, typeof(InteractionRetracted)),
        new("interactions-merged", 1, typeof(InteractionsMerged)),
    ];

    private static readonly Dictionary<string, EventType> ByName = All.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static readonly Dictionary<Type, EventType> ByClr = All.ToDictionary(t => t.ClrType);

    public static bool TryGet(string name, out EventType type) => ByName.TryGetValue(name, out type!);

    /// <summary>The stored type name of <paramref name="e"/>.</summary>
    /// <exception cref="KeyNotFoundException">its CLR type has no stored event type.</exception>
    public static string NameOf(ILedgerEvent e) => ByClr[e.GetType()].Name;

    /// <summary>
    /// The interaction kinds a person can record (corrections, retractions and merges have their own shape; imported rows of an
    /// event dataset, <see cref="CodedInteraction"/>, come only from <c>ledger import</c>).
    /// </summary>
    public static IEnumerable<EventType> Interactions =>
        All.Where(t => t.ClrType.IsSubclassOf(typeof(InteractionEvent)) && t.ClrType != typeof(CodedInteraction));
}
