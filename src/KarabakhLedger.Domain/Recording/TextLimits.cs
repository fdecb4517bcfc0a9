namespace KarabakhLedger.Domain.Recording;

/// <summary>The longest text the recording format accepts in each kind of field, in characters.</summary>
public static class TextLimits
{
    /// <summary>Summaries, notes, reasons, passages and URLs.</summary>
    public const int Text = 2000;

    /// <summary>Source titles.</summary>
    public const int Title = 500;

    /// <summary>Outlets, seed document ids and figure names.</summary>
    public const int Name = 200;

    /// <summary>An actor, by code or by name (the longest ISO 3166 official name is under 100 characters).</summary>
    public const int ActorText = 200;

    /// <summary>Figure units.</summary>
    public const int Unit = 100;
}
