namespace KarabakhLedger.Domain.Validation;

/// <summary>Collects validation errors under a field-path prefix, so nested objects report full paths.</summary>
internal sealed class ErrorList
{
    private readonly List<ValidationError> _errors;
    private readonly string _prefix;

    public ErrorList() : this([], "")
    {
    }

    private ErrorList(List<ValidationError> errors, string prefix)
    {
        _errors = errors;
        _prefix = prefix;
    }

    public bool Any => _errors.Count > 0;

    public IReadOnlyList<ValidationError> Errors => _errors;

    public ErrorList At(string field) => new(_errors, Path(field));

    public void Add(string field, string rule) => _errors.Add(new ValidationError(Path(field), rule));

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new LedgerValidationException(_errors.ToArray());
        }
    }

    private string Path(string field) =>
        _prefix.Length == 0 ? field
        : field.Length == 0 || field.StartsWith('[') ? _prefix + field
        : $"{_prefix}.{field}";
}
