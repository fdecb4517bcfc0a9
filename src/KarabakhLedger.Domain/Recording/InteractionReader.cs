using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// Reads an interaction of the recording format: a bilateral one (<c>initiator</c>, <c>target</c>, <c>joint</c>) is
/// one event; a multilateral act (<c>participants</c>, <c>host</c>) fans out as <see cref="MultilateralAct"/> says.
/// </summary>
internal static class InteractionReader
{
    /// <summary>The interaction in <paramref name="element"/>, or null with its errors in <paramref name="fields"/>; <paramref name="fixedId"/> is a correction's.</summary>
    public static InteractionRecording? Read(JsonElement element, JsonFields fields, ActorRegistry actors, Guid? fixedId = null)
    {
        fields.RejectUnknown(RecordingFields.Interaction.NameSet);
        var errors = fields.Errors;
        var id = fixedId ?? fields.Uuid("id", required: false) ?? RecordingParser.ContentId(element);

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

        var cameo = ValueReaders.CameoCode(fields, "cameoCode");
        var occurredOn = ValueReaders.Date(fields, "occurredOn");
        var theatre = ValueReaders.Enum<Theatre>(fields, "theatre", required: true);
        var summary = fields.String("summary", required: true);
        var note = fields.String("note", required: false);
        var figures = ValueReaders.Figures(fields);
        var sources = ValueReaders.Sources(fields, "sources");
        var agreement = ValueReaders.Enum<AgreementKind>(fields, "agreement", required: type?.ClrType == typeof(AgreementSigned));
        var stance = ValueReaders.Enum<SanctionsStance>(fields, "stance", required: type?.ClrType == typeof(SanctionsStanceTaken));
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

        var parties = PartyReader.Read(fields, actors);
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
            var act = new MultilateralAct(id, parties.Participants, parties.Host);
            events.AddRange(act.FanOut(cameo).Select(pair =>
                new PlannedEvent(pair.Dyad, Build(pair.EventId, pair.CameoCode, pair.Initiator, pair.Target, pair.Joint, id, act.Everyone))));
        }

        return new InteractionRecording(id, type, events);
    }

    private static InteractionEvent Create(EventType type, InteractionFacts facts, AgreementKind? agreement, SanctionsStance? stance) =>
        type.ClrType == typeof(AgreementSigned) ? new AgreementSigned(facts, agreement!.Value)
        : type.ClrType == typeof(SanctionsStanceTaken) ? new SanctionsStanceTaken(facts, stance!.Value)
        : (InteractionEvent)Activator.CreateInstance(type.ClrType, facts)!;
}
