
namespace KarabakhLedger.Service.Appending;

/// <summary>The kind of recording-format object a command endpoint takes as its body.</summary>
public enum CommandBody
{
    Interaction,
    MultilateralAct,
    Correction,
    Retraction,
    Merge,
}
