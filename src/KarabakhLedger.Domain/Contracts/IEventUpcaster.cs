using System.Text.Json.Nodes;

namespace KarabakhLedger.Domain.Contracts;

/// <summary>
/// Turns the stored JSON of <see cref="EventType"/> at <see cref="FromVersion"/> into the shape of
/// <c>FromVersion + 1</c>. Stored events are never rewritten: upcasting happens on every read.
/// </summary>
public interface IEventUpcaster
{
    string EventType { get; }

    int FromVersion { get; }

    JsonObject Upcast(JsonObject data);
}
