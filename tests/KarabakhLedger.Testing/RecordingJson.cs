using System.Text.Json.Nodes;

namespace KarabakhLedger.Testing;

/// <summary>Recording-format objects (docs/recording-format.md) for tests: an interaction, and corrections and retractions of it, each with an id of its own.</summary>
public static class RecordingJson
{
    public static JsonArray Sources() => new(new JsonObject { ["outlet"] = "o", ["title"] = "t", ["document"] = "000", ["passage"] = "p" });

    public static JsonObject Interaction(string initiator = "TUR", string target = "RUS") => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["type"] = "airspace-closed",
        ["cameoCode"] = "172",
        ["initiator"] = initiator,
        ["target"] = target,
        ["occurredOn"] = "2022-02",
        ["theatre"] = "syria",
        ["summary"] = "Airspace closed.",
        ["sources"] = Sources(),
    };

    public static JsonObject Correction(JsonObject original, string occurredOn)
    {
        var with = (JsonObject)original.DeepClone();
        with.Remove("id");
        with["occurredOn"] = occurredOn;
        return new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["corrects"] = (string)original["id"]!, ["reason"] = "r", ["sources"] = Sources(), ["with"] = with };
    }

    public static JsonObject Retraction(JsonObject original) =>
        new() { ["id"] = Guid.NewGuid().ToString(), ["retracts"] = (string)original["id"]!, ["reason"] = "r", ["sources"] = Sources() };

    /// <summary>The objects as one batch: a JSON array.</summary>
    public static string Batch(params JsonObject[] objects) => new JsonArray(objects.Select(o => o.DeepClone()).ToArray()).ToJsonString();
}
