using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// Reads the values every kind of object shares (an actor, a CAMEO code, a date, one of an enum's kebab-case names,
/// figures and sources), adding each broken rule to the fields' errors under its path and returning null (or
/// leaving the item out).
/// </summary>
internal static class ValueReaders
{
    public static string? Actor(JsonFields fields, string name, ActorRegistry actors)
    {
        var text = fields.String(name, required: true, TextLimits.ActorText);
        if (text is null)
        {
            return null;
        }

        if (!actors.TryResolve(text, out var actor, out var error))
        {
            fields.Errors.Add(name, error);
            return null;
        }

        return actor.Code;
    }

    public static string? CameoCode(JsonFields fields, string name)
    {
        var code = fields.String(name, required: true, 8);
        if (code is not null && !CameoCatalog.Default.TryGet(code, out _))
        {
            fields.Errors.Add(name, $"'{code}' is not a CAMEO code in cameo_goldstein.tsv (codes are strings: \"010\" and \"10\" differ)");
            return null;
        }

        return code;
    }

    public static PartialDate? Date(JsonFields fields, string name)
    {
        var text = fields.String(name, required: true, 16);
        if (text is null)
        {
            return null;
        }

        if (!PartialDate.TryParse(text, out var date, out var error))
        {
            fields.Errors.Add(name, error);
            return null;
        }

        return date;
    }

    public static TEnum? Enum<TEnum>(JsonFields fields, string name, bool required)
        where TEnum : struct, Enum
    {
        var text = fields.String(name, required, 64);
        if (text is null)
        {
            return null;
        }

        var values = System.Enum.GetValues<TEnum>().ToDictionary(v => JsonNamingKebab(v.ToString()));
        if (!values.TryGetValue(text, out var value))
        {
            fields.Errors.Add(name, $"'{text}' is not one of: {string.Join(", ", values.Keys)}");
            return null;
        }

        return value;
    }

    private static string JsonNamingKebab(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    public static List<Figure> Figures(JsonFields fields)
    {
        var figures = new List<Figure>();
        foreach (var (item, errors) in fields.Array("figures", required: false))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add("", "must be an object { name, value, unit }");
                continue;
            }

            var figure = new JsonFields(item, errors);
            figure.RejectUnknown(RecordingFields.Figure.NameSet);
            var name = figure.String("name", required: true, TextLimits.Name);
            var value = figure.Number("value", required: true);
            var unit = figure.String("unit", required: true, TextLimits.Unit);
            if (name is not null && value is not null && unit is not null)
            {
                figures.Add(new Figure(name, value.Value, unit));
            }
        }

        return figures;
    }

    public static List<Source> Sources(JsonFields fields, string name)
    {
        var sources = new List<Source>();
        foreach (var (item, errors) in fields.Array(name, required: true, minCount: 1))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add("", "must be an object { outlet, title, url, accessed } or { outlet, title, document, passage }");
                continue;
            }

            var source = new JsonFields(item, errors);
            source.RejectUnknown(RecordingFields.Source.NameSet);
            var outlet = source.String("outlet", required: true, TextLimits.Name);
            var title = source.String("title", required: true, TextLimits.Title);
            var urlText = source.String("url", required: false, TextLimits.Text);
            var accessedText = source.String("accessed", required: false, 10);
            var document = source.String("document", required: false, TextLimits.Name);
            var passage = source.String("passage", required: false);
            Uri? url = null;
            if (urlText is not null
                && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            {
                errors.Add("url", $"must be an absolute http or https URL (got '{urlText}')");
                url = null;
            }

            DateOnly? accessed = null;
            if (accessedText is not null)
            {
                if (PartialDate.TryParse(accessedText, out var date, out var error) && date.Precision == DatePrecision.Day)
                {
                    accessed = date.Start;
                }
                else
                {
                    errors.Add("accessed", error.Length > 0 ? error : $"must be a full date YYYY-MM-DD (got '{accessedText}')");
                }
            }

            if (urlText is null && document is null)
            {
                errors.Add("url", "a source needs a url (with its accessed date) or a document (with a passage)");
            }

            if (urlText is not null && accessedText is null)
            {
                errors.Add("accessed", "is required with a url: the date the page was read (YYYY-MM-DD)");
            }

            if (document is not null && passage is null)
            {
                errors.Add("passage", "is required with a document: quote or locate the passage");
            }

            if (outlet is not null && title is not null)
            {
                sources.Add(new Source(outlet, title, url, accessed, document, passage));
            }
        }

        return sources;
    }
}
