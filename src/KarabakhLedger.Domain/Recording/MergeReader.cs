using System.Text.Json;

namespace KarabakhLedger.Domain.Recording;

/// <summary>Reads a merge (<c>merges</c>): two or more interaction events that record one real-world interaction, with the reason and sources.</summary>
internal static class MergeReader
{
    /// <summary>The merge in <paramref name="element"/>, or null with its errors in <paramref name="fields"/>.</summary>
    public static MergeRecording? Read(JsonElement element, JsonFields fields)
    {
        fields.RejectUnknown(RecordingFields.Merge.NameSet);
        var id = fields.Uuid("id", required: false) ?? RecordingParser.ContentId(element);
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
        var sources = ValueReaders.Sources(fields, "sources");
        return fields.Errors.Any || reason is null
            ? null
            : new MergeRecording(id, merged, reason, sources);
    }
}
