using System.Text.Json;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Recording;

/// <summary>Reads typed fields from a JSON object, reporting each missing or ill-typed field to an <see cref="ErrorList"/>.</summary>
internal readonly struct JsonFields(JsonElement element, ErrorList errors)
{
    public ErrorList Errors => errors;

    public bool Has(string name) => element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public void RejectUnknown(IReadOnlySet<string> known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors.Add(property.Name, "is not a field of the recording format (see docs/recording-format.md)");
            }
        }
    }

    public string? String(string name, bool required, int maxLength = TextLimits.Text)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(name, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, "must be a string");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            errors.Add(name, "must not be empty");
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(name, $"must be at most {maxLength} characters (got {text.Length})");
            return null;
        }

        return text;
    }

    public Guid? Uuid(string name, bool required)
    {
        var text = String(name, required, 64);
        if (text is null)
        {
            return null;
        }

        if (!Guid.TryParse(text, out var id) || id == Guid.Empty)
        {
            errors.Add(name, $"must be a non-empty UUID (got '{text}')");
            return null;
        }

        return id;
    }

    public bool? Boolean(string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(name, "must be true or false");
            return null;
        }

        return value.GetBoolean();
    }

    public IEnumerable<(JsonElement Item, ErrorList Errors)> Array(string name, bool required, int minCount = 0)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(name, minCount > 0 ? $"is required: a list of at least {minCount}" : "is required");
            }

            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(name, "must be a list");
            return [];
        }

        if (value.GetArrayLength() < minCount)
        {
            errors.Add(name, $"must list at least {minCount} (got {value.GetArrayLength()})");
        }

        var scope = errors.At(name);
        return value.EnumerateArray().Select((item, i) => (item, scope.At($"[{i}]"))).ToArray();
    }

    public JsonFields? Object(string name, bool required)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(name, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(name, "must be an object");
            return null;
        }

        return new JsonFields(value, errors.At(name));
    }

    public decimal? Number(string name, bool required)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(name, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            errors.Add(name, "must be a number");
            return null;
        }

        return number;
    }
}
