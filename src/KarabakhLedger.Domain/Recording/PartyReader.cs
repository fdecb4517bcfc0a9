using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Recording;

/// <summary>Who takes part in an interaction: <see cref="Initiator"/> and <see cref="Target"/> (bilateral), or <see cref="Participants"/> and perhaps a <see cref="Host"/> (multilateral).</summary>
internal sealed record PartySet(string? Initiator, string? Target, bool Joint, IReadOnlyList<string>? Participants, ActHost? Host);

/// <summary>Reads an interaction's parties: initiator, target and joint, or participants and host, never both.</summary>
internal static class PartyReader
{
    /// <summary>The parties in <paramref name="fields"/>, or null with their errors.</summary>
    public static PartySet? Read(JsonFields fields, ActorRegistry actors)
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
                else if (!actors.TryResolve(text, out var actor, out var error))
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

            ActHost? host = null;
            if (fields.Object("host", required: false) is { } h)
            {
                h.RejectUnknown(RecordingFields.Host.NameSet);
                var actor = ValueReaders.Actor(h, "actor", actors);
                var cameo = ValueReaders.CameoCode(h, "cameoCode");
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
                    host = new ActHost(actor, cameo);
                }
            }

            return errors.Any ? null : new PartySet(null, null, true, participants, host);
        }

        var initiator = ValueReaders.Actor(fields, "initiator", actors);
        var target = ValueReaders.Actor(fields, "target", actors);
        var joint = fields.Boolean("joint") ?? false;
        if (initiator is not null && initiator == target)
        {
            errors.Add("target", $"must differ from initiator: a dyad needs two different actors (got '{target}' twice)");
        }

        return errors.Any ? null : new PartySet(initiator, target, joint, null, null);
    }
}
