using System.Text.Json;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Testing.Contracts;

/// <summary>Events for store tests: opaque to the store, but real JSON with non-ASCII text and numbers.</summary>
public static class TestEvents
{
    private static readonly string[] Tags = ["a", "b"];

    public static EventToAppend Event(string text = "Türkiye closes the straits", Guid? id = null, string type = "test-event") =>
        new(id ?? Guid.NewGuid(), type, 1, JsonSerializer.Serialize(new { text, amount = 1.50m, tags = Tags }));

    public static EventToAppend[] Events(int count, string prefix = "event") =>
        Enumerable.Range(1, count).Select(i => Event($"{prefix} {i}")).ToArray();

    public static StreamAppend To(string stream, ExpectedVersion expected, params EventToAppend[] events) => new(stream, expected, events);

    public static StreamAppend To(string stream, params EventToAppend[] events) => new(stream, ExpectedVersion.Any, events);

    public static async Task<List<StoredEvent>> ReadAll(this ILedgerStore store, long after = 0)
    {
        var events = new List<StoredEvent>();
        await foreach (var e in store.ReadAllAsync(after))
        {
            events.Add(e);
        }

        return events;
    }

    public static async Task<List<StoredEvent>> ReadStream(this ILedgerStore store, string stream, long from = 1)
    {
        var events = new List<StoredEvent>();
        await foreach (var e in store.ReadStreamAsync(stream, from))
        {
            events.Add(e);
        }

        return events;
    }
}
