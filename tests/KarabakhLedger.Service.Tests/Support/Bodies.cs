using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>Request bodies in the recording format (docs/recording-format.md), distinct per call unless told otherwise.</summary>
public static class Bodies
{
    private static int _counter;

    /// <summary>A bilateral interaction; its summary carries <paramref name="tag"/> (a fresh one by default), so its content id is new.</summary>
    public static string Interaction(string initiator, string target, string cameoCode = "036", string occurredOn = "2022-03-10", string? tag = null) =>
        new JsonObject
        {
            ["type"] = TypeFor(cameoCode),
            ["cameoCode"] = cameoCode,
            ["initiator"] = initiator,
            ["target"] = target,
            ["joint"] = true,
            ["occurredOn"] = occurredOn,
            ["theatre"] = "black-sea-ukraine",
            ["summary"] = $"Test talks {tag ?? Fresh()}.",
            ["sources"] = Sources(),
        }.ToJsonString();

    /// <summary>
    /// Talks, or for a code talks do not admit the first type whose typing rule does (docs/recording-format.md);
    /// a code no type admits (not a CAMEO code) stays on talks, to be refused for what it is.
    /// </summary>
    private static string TypeFor(string cameoCode) =>
        InteractionTyping.Default.For("talks-held").Admits(cameoCode) ? "talks-held"
        : InteractionTyping.Default.Rules.FirstOrDefault(r =>
            r.Type is not (InteractionTyping.Host or "agreement-signed" or "sanctions-stance") && r.Admits(cameoCode))?.Type ?? "talks-held";

    /// <summary>A ceasefire signed by <paramref name="participants"/>, mediated by <paramref name="host"/>.</summary>
    public static string MultilateralAct(string host, params string[] participants) =>
        new JsonObject
        {
            ["type"] = "agreement-signed",
            ["agreement"] = "ceasefire",
            ["cameoCode"] = "057",
            ["participants"] = new JsonArray(participants.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
            ["host"] = new JsonObject { ["actor"] = host, ["cameoCode"] = "043" },
            ["occurredOn"] = "2020-11",
            ["theatre"] = "south-caucasus",
            ["summary"] = $"Test ceasefire {Fresh()}.",
            ["sources"] = Sources(),
        }.ToJsonString();

    public static string Correction(Guid corrects, string initiator, string target, string cameoCode) =>
        new JsonObject
        {
            ["corrects"] = corrects.ToString(),
            ["reason"] = $"The source says otherwise {Fresh()}.",
            ["sources"] = Sources(),
            ["with"] = JsonNode.Parse(Interaction(initiator, target, cameoCode)),
        }.ToJsonString();

    public static string Retraction(Guid retracts) =>
        new JsonObject
        {
            ["retracts"] = retracts.ToString(),
            ["reason"] = $"Recorded in error {Fresh()}.",
            ["sources"] = Sources(),
        }.ToJsonString();

    /// <summary>A merge of <paramref name="merges"/> into one interaction.</summary>
    public static string Merge(params Guid[] merges) =>
        new JsonObject
        {
            ["merges"] = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create(m.ToString())).ToArray()),
            ["reason"] = $"One act reported twice {Fresh()}.",
            ["sources"] = Sources(),
        }.ToJsonString();

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    private static JsonArray Sources() =>
        [new JsonObject { ["outlet"] = "Test Wire", ["title"] = "A test report", ["url"] = "https://example.org/report", ["accessed"] = "2022-09-20" }];

    private static string Fresh() => $"#{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}";
}
