using System.Text.Json;

namespace KarabakhLedger.Domain.Recording;

/// <summary>Reads a retraction (<c>retracts</c>): the retracted event's id, with the reason and sources.</summary>
internal static class RetractionReader
{
    /// <summary>The retraction in <paramref name="element"/>, or null with its errors in <paramref name="fields"/>.</summary>
    public static RetractionRecording? Read(JsonElement element, JsonFields fields)
    {
        fields.RejectUnknown(RecordingFields.Retraction.NameSet);
        var id = fields.Uuid("id", required: false) ?? RecordingParser.ContentId(element);
        var retracts = fields.Uuid("retracts", required: true);
        var reason = fields.String("reason", required: true);
        var sources = ValueReaders.Sources(fields, "sources");
        return fields.Errors.Any || retracts is null || reason is null
            ? null
            : new RetractionRecording(id, retracts.Value, reason, sources);
    }
}
