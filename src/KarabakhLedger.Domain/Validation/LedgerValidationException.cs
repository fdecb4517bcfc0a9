namespace KarabakhLedger.Domain.Validation;

/// <summary>Input was refused; <see cref="Errors"/> names every bad field and its rule. Nothing was written.</summary>
public sealed class LedgerValidationException(IReadOnlyList<ValidationError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;

    public LedgerValidationException(string field, string rule) : this([new ValidationError(field, rule)])
    {
    }
}
