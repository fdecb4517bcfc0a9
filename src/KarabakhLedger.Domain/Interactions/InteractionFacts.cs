using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Domain.Interactions;

/// <summary>
/// What every interaction event states: who acted on whom (or both jointly), what (a CAMEO code), when (with
/// its precision), where, and on whose authority. A multilateral act's events share its
/// <see cref="CorrelationId"/> and list all its <see cref="Participants"/>.
/// </summary>
public sealed record InteractionFacts(
    Guid EventId,
    string CameoCode,
    string Initiator,
    string Target,
    bool Joint,
    PartialDate OccurredOn,
    Theatre Theatre,
    string Summary,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<Source> Sources,
    Guid? CorrelationId = null,
    IReadOnlyList<string>? Participants = null,
    string? Note = null)
{
    public Dyad Dyad => new(Initiator, Target);
}
