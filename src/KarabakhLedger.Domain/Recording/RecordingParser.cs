using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// Validates objects of the recording format (docs/recording-format.md) and turns them into events. Every
/// broken rule is reported with its field's path; a batch with any error yields nothing.
/// </summary>
public static class RecordingParser
{
    private static readonly HashSet<string> InteractionFields =
    [
        "id", "type", "cameoCode", "initiator", "target", "joint", "participants", "host", "occurredOn", "theatre",
        "summary", "figures", "sources", "note", "agreement", "stance",
    ];

    private static readonly HashSet<string> CorrectionFields = ["id", "corrects", "reason", "sources", "with"];
    private static readonly HashSet<string> RetractionFields = ["id", "retracts", "reason", "sources"];
    private static readonly HashSet<string> MergeFields = ["id", "merges", "reason", "sources"];
    private static readonly HashSet<string> SourceFields = ["outlet", "title", "url", "accessed", "document", "passage"];
    private static readonly HashSet<string> FigureFields = ["name", "value", "unit"];
    private static readonly HashSet<string> HostFields = ["actor", "cameoCode"];

    /// <summary>
    /// Parses JSON text holding one object or an array of objects. One leading byte-order mark is dropped (a byte
    /// position on the first line still counts it, as <see cref="RecordingText"/>'s offsets do); a key given twice in
    /// one object and a lone surrogate escape are refused (<see cref="JsonWellFormedness"/>).
    /// </summary>
    public static IReadOnlyList<Recording> ParseBatch(string json)
    {
        var mark = RecordingText.ByteOrderMarkLength(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(mark > 0 ? json.AsMemory(1) : json.AsMemory());
        }
        catch (JsonException e)
        {
            var position = e.BytePositionInLine + 1 + (e.LineNumber == 0 ? mark : 0);
            throw new LedgerValidationException(
                "(input)", $"must be well-formed JSON: {e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd()} (line {e.LineNumber + 1}, byte {position})");
        }

        using (document)
        {
            var root = document.RootElement;
            var errors = new ErrorList();
            JsonWellFormedness.Check(root, errors);
            errors.ThrowIfAny();
            var recordings = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select((item, i) => Parse(item, errors.At($"[{i}]"))).ToList(),
                JsonValueKind.Object => [Parse(root, errors)],
                _ => Fail(errors),
            };
            errors.ThrowIfAny();
            var duplicate = recordings.GroupBy(r => r!.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new LedgerValidationException("id", $"{duplicate.Key} appears more than once in the input");
            }

            return recordings!;
        }

        static List<Recording?> Fail(ErrorList errors)
        {
            errors.Add("(input)", "must be a JSON object or an array of objects");
            return [];
        }
    }

    private static Recording? Parse(JsonElement element, ErrorList errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("(item)", "must be a JSON object");
            return null;
        }

        var fields = new JsonFields(element, errors);
        if (fields.Has("corrects"))
        {
            return ParseCorrection(element, fields);
        }

        if (fields.Has("retracts"))
        {
            return ParseRetraction(element, fields);
        }

        if (fields.Has("merges"))
        {
            return ParseMerge(element, fields);
        }

        return ParseInteraction(element, fields);
    }

    private static InteractionRecording? ParseInteraction(JsonElement element, JsonFields fields, Guid? fixedId = null)
    {
        fields.RejectUnknown(InteractionFields);
        var errors = fields.Errors;
        var id = fixedId ?? fields.Uuid("id", required: false) ?? ContentId(element);

        var typeName = fields.String("type", required: true, 64);
        EventType? type = null;
        if (typeName is not null)
        {
            type = EventTypes.Interactions.FirstOrDefault(t => t.Name == typeName);
            if (type is null)
            {
                errors.Add("type", $"'{typeName}' is not an interaction type; expected one of: {string.Join(", ", EventTypes.Interactions.Select(t => t.Name))}");
            }
        }

        var cameo = CameoCode(fields, "cameoCode");
        var occurredOn = Date(fields, "occurredOn");
        var theatre = Enum<Theatre>(fields, "theatre", required: true);
        var summary = fields.String("summary", required: true);
        var note = fields.String("note", required: false);
        var figures = Figures(fields);
        var sources = Sources(fields, "sources");
        var agreement = Enum<AgreementKind>(fields, "agreement", required: type?.ClrType == typeof(AgreementSigned));
        var stance = Enum<SanctionsStance>(fields, "stance", required: type?.ClrType == typeof(SanctionsStanceTaken));
        if (agreement is not null && type is not null && type.ClrType != typeof(AgreementSigned))
        {
            errors.Add("agreement", "is only for type 'agreement-signed'");
        }

        if (stance is not null && type is not null && type.ClrType != typeof(SanctionsStanceTaken))
        {
            errors.Add("stance", "is only for type 'sanctions-stance'");
        }

        if (type is not null && cameo is not null && InteractionTyping.Default.Refuse(type.Name, cameo) is { } mistyped)
        {
            errors.Add("cameoCode", mistyped);
        }

        var parties = ReadParties(fields);
        if (errors.Any || type is null || cameo is null || occurredOn is null || theatre is null || summary is null || parties is null)
        {
            return null;
        }

        InteractionEvent Build(Guid eventId, string cameoCode, string initiator, string target, bool joint, Guid? correlation, IReadOnlyList<string>? participants) =>
            Create(type, new InteractionFacts(
                eventId, cameoCode, initiator, target, joint, occurredOn.Value, theatre.Value, summary,
                figures, sources, correlation, participants, note), agreement, stance);

        var events = new List<PlannedEvent>();
        if (parties.Participants is null)
        {
            var e = Build(id, cameo, parties.Initiator!, parties.Target!, parties.Joint, null, null);
            events.Add(new PlannedEvent(e.Facts.Dyad, e));
        }
        else
        {
            var everyone = parties.Participants.Append(parties.Host?.Actor).OfType<string>()
                .Order(StringComparer.Ordinal).ToArray();
            var p = parties.Participants;
            for (var i = 0; i < p.Count; i++)
            {
                for (var j = i + 1; j < p.Count; j++)
                {
                    var dyad = new Dyad(p[i], p[j]);
                    events.Add(new PlannedEvent(dyad, Build(FanOutId(id, dyad), cameo, dyad.A, dyad.B, true, id, everyone)));
                }
            }

            if (parties.Host is { } host)
            {
                foreach (var participant in p)
                {
                    var dyad = new Dyad(host.Actor, participant);
                    events.Add(new PlannedEvent(dyad, Build(FanOutId(id, dyad), host.CameoCode, host.Actor, participant, false, id, everyone)));
                }
            }
        }

        return new InteractionRecording(id, type, events);
    }

    private static CorrectionRecording? ParseCorrection(JsonElement element, JsonFields fields)
    {
        fields.RejectUnknown(CorrectionFields);
        var id = fields.Uuid("id", required: false) ?? ContentId(element);
        var corrects = fields.Uuid("corrects", required: true);
        var reason = fields.String("reason", required: true);
        var sources = Sources(fields, "sources");
        var with = fields.Object("with", required: true);
        InteractionRecording? corrected = null;
        if (with is { } w && corrects is not null)
        {
            if (w.Has("participants") || w.Has("host"))
            {
                w.Errors.Add("participants", "a correction amends one dyad's event: give initiator and target");
            }
            else
            {
                corrected = ParseInteraction(element.GetProperty("with"), w, corrects);
            }
        }

        if (fields.Errors.Any || corrects is null || reason is null || corrected is null)
        {
            return null;
        }

        return new CorrectionRecording(id, corrects.Value, (InteractionEvent)corrected.Events[0].Event, reason, sources);
    }

    private static RetractionRecording? ParseRetraction(JsonElement element, JsonFields fields)
    {
        fields.RejectUnknown(RetractionFields);
        var id = fields.Uuid("id", required: false) ?? ContentId(element);
        var retracts = fields.Uuid("retracts", required: true);
        var reason = fields.String("reason", required: true);
        var sources = Sources(fields, "sources");
        return fields.Errors.Any || retracts is null || reason is null
            ? null
            : new RetractionRecording(id, retracts.Value, reason, sources);
    }

    private static MergeRecording? ParseMerge(JsonElement element, JsonFields fields)
    {
        fields.RejectUnknown(MergeFields);
        var id = fields.Uuid("id", required: false) ?? ContentId(element);
        var merged = new List<Guid>();
        foreach (var (item, errors) in fields.Array("merges", required: true, minCount: 2))
        {
            if (item.ValueKind != JsonValueKind.String || !Guid.TryParse(item.GetString(), out var eventId) || eventId == Guid.Empty)
            {
                errors.Add("", $"must be the id (a non-empty UUID) of an interaction event (got {item.GetRawText()})");
            }
            else if (merged.Contains(eventId))
            {
                errors.Add("", $"{eventId} is listed twice");
            }
            else
            {
                merged.Add(eventId);
            }
        }

        var reason = fields.String("reason", required: true);
        var sources = Sources(fields, "sources");
        return fields.Errors.Any || reason is null
            ? null
            : new MergeRecording(id, merged, reason, sources);
    }

    private sealed record Host(string Actor, string CameoCode);

    private sealed record PartySet(string? Initiator, string? Target, bool Joint, IReadOnlyList<string>? Participants, Host? Host);

    private static PartySet? ReadParties(JsonFields fields)
    {
        var errors = fields.Errors;
        var multilateral = fields.Has("participants") || fields.Has("host");
        if (multilateral)
        {
            if (fields.Has("initiator") || fields.Has("target") || fields.Has("joint"))
            {
                errors.Add("participants", "a multilateral act names participants (and a host), not initiator/target/joint");
                return null;
            }

            var participants = new List<string>();
            foreach (var (item, itemErrors) in fields.Array("participants", required: true, minCount: 2))
            {
                var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
                string? code = null;
                if (text is null)
                {
                    itemErrors.Add("", "must be an actor code or name (a string)");
                }
                else if (!ActorRegistry.Default.TryResolve(text, out var actor, out var error))
                {
                    itemErrors.Add("", error);
                }
                else if (participants.Contains(code = actor.Code))
                {
                    itemErrors.Add("", $"'{code}' is listed twice");
                }
                else
                {
                    participants.Add(code);
                }
            }

            Host? host = null;
            if (fields.Object("host", required: false) is { } h)
            {
                h.RejectUnknown(HostFields);
                var actor = Actor(h, "actor");
                var cameo = CameoCode(h, "cameoCode");
                if (cameo is not null && InteractionTyping.Default.Refuse(InteractionTyping.Host, cameo) is { } mistyped)
                {
                    h.Errors.Add("cameoCode", mistyped);
                    cameo = null;
                }

                if (actor is not null && participants.Contains(actor))
                {
                    h.Errors.Add("actor", $"'{actor}' is already a participant; a host is a third party");
                }
                else if (actor is not null && cameo is not null)
                {
                    host = new Host(actor, cameo);
                }
            }

            return errors.Any ? null : new PartySet(null, null, true, participants, host);
        }

        var initiator = Actor(fields, "initiator");
        var target = Actor(fields, "target");
        var joint = fields.Boolean("joint") ?? false;
        if (initiator is not null && initiator == target)
        {
            errors.Add("target", $"must differ from initiator: a dyad needs two different actors (got '{target}' twice)");
        }

        return errors.Any ? null : new PartySet(initiator, target, joint, null, null);
    }

    private static string? Actor(JsonFields fields, string name)
    {
        var text = fields.String(name, required: true, TextLimits.ActorText);
        if (text is null)
        {
            return null;
        }

        if (!ActorRegistry.Default.TryResolve(text, out var actor, out var error))
        {
            fields.Errors.Add(name, error);
            return null;
        }

        return actor.Code;
    }

    private static string? CameoCode(JsonFields fields, string name)
    {
        var code = fields.String(name, required: true, 8);
        if (code is not null && !CameoCatalog.Default.TryGet(code, out _))
        {
            fields.Errors.Add(name, $"'{code}' is not a CAMEO code in cameo_goldstein.tsv (codes are strings: \"010\" and \"10\" differ)");
            return null;
        }

        return code;
    }

    private static PartialDate? Date(JsonFields fields, string name)
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

    private static TEnum? Enum<TEnum>(JsonFields fields, string name, bool required)
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

    private static string JsonNamingKebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    private static IReadOnlyList<Figure> Figures(JsonFields fields)
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
            figure.RejectUnknown(FigureFields);
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

    private static IReadOnlyList<Source> Sources(JsonFields fields, string name)
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
            source.RejectUnknown(SourceFields);
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

    private static InteractionEvent Create(EventType type, InteractionFacts facts, AgreementKind? agreement, SanctionsStance? stance) =>
        type.ClrType == typeof(AgreementSigned) ? new AgreementSigned(facts, agreement!.Value)
        : type.ClrType == typeof(SanctionsStanceTaken) ? new SanctionsStanceTaken(facts, stance!.Value)
        : (InteractionEvent)Activator.CreateInstance(type.ClrType, facts)!;

    private static Guid ContentId(JsonElement element) =>
        DeterministicGuid.Create(DeterministicGuid.ContentNamespace, CanonicalJson.Canonicalize(element));

    /// <summary>The id of a multilateral act's event in <paramref name="dyad"/>.</summary>
    public static Guid FanOutId(Guid actId, Dyad dyad) =>
        DeterministicGuid.Create(DeterministicGuid.FanOutNamespace, $"{actId:D}/{dyad.Key}");
}
