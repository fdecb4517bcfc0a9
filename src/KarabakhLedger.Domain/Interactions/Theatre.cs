namespace KarabakhLedger.Domain.Interactions;

/// <summary>Where an interaction plays out. Written in kebab case in JSON, e.g. <c>black-sea-ukraine</c>.</summary>
public enum Theatre
{
    BlackSeaUkraine,
    SouthCaucasus,
    Syria,
    Libya,
    EasternMediterranean,
    MiddleEast,
    CentralAsia,
    Europe,
    Global,

    /// <summary>No theatre was assigned: event datasets code actors and actions, not the project's theatres.</summary>
    Unassigned,
}
