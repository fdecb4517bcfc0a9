namespace KarabakhLedger.Domain.Validation;

/// <summary>One broken rule: the field's path in the input (e.g. <c>sources[0].url</c>) and the rule it broke.</summary>
public sealed record ValidationError(string Field, string Rule)
{
    public override string ToString() => $"{Field}: {Rule}";
}
