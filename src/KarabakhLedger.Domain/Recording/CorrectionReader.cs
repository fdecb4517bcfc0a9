using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Recording;

/// <summary>Reads a correction (<c>corrects</c>): the corrected interaction in <c>with</c>, one dyad's event, with the reason and sources.</summary>
internal static class CorrectionReader
{
    /// <summary>The correction in <paramref name="element"/>, or null with its errors in <paramref name="fields"/>.</summary>
    public static CorrectionRecording? Read(JsonElement element, JsonFields fields, ActorRegistry actors)
    {
        fields.RejectUnknown(RecordingFields.Correction.NameSet);
        var id = fields.Uuid("id", required: false) ?? RecordingParser.ContentId(element);
        var corrects = fields.Uuid("corrects", required: true);
        var reason = fields.String("reason", required: true);
        var sources = ValueReaders.Sources(fields, "sources");
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
                corrected = InteractionReader.Read(element.GetProperty("with"), w, actors, corrects);
            }
        }

        if (fields.Errors.Any || corrects is null || reason is null || corrected is null)
        {
            return null;
        }

        return new CorrectionRecording(id, corrects.Value, (InteractionEvent)corrected.Events[0].Event, reason, sources);
    }
}
