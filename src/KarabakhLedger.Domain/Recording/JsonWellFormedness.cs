using System.Text.Json;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// What JSON permits but a recording may not hold: a key given twice in one object (which value counts would depend
/// on the reader), and a string escape that is a lone UTF-16 surrogate (no Unicode text). Reported with the path.
/// </summary>
internal static class JsonWellFormedness
{
    public static void Check(JsonElement element, ErrorList errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryText(() => property.Name, out var name))
                    {
                        errors.Add("(key)", "must be Unicode text: a key holds a lone surrogate escape");
                        continue;
                    }

                    if (!seen.Add(name))
                    {
                        errors.Add(name, "appears more than once in one object; give each field once");
                        continue;
                    }

                    Check(property.Value, errors.At(name));
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, errors.At($"[{i++}]"));
                }

                break;
            case JsonValueKind.String when !TryText(element.GetString, out _):
                errors.Add("", "must be Unicode text: it holds a lone surrogate escape (\\uD800–\\uDFFF without its pair)");
                break;
        }
    }

    private static bool TryText(Func<string?> read, out string text)
    {
        try
        {
            text = read() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }
}
