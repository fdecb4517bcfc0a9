using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Tests.Sqlite;

namespace KarabakhLedger.Ledger.Tests.Recording;

/// <summary>A merge is checked against the ledger: its events exist, are interactions of one dyad and are not retracted.</summary>
public sealed class MergeRecorderTests : IAsyncLifetime
{
    private ILedgerStore _store = null!;
    private LedgerRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteLedgerStore.OpenAsync(TempLedger.NewPath(), TimeProvider.System);
        _recorder = new LedgerRecorder(_store, EventSerializer.Default, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static JsonArray Source() => new(new JsonObject { ["outlet"] = "o", ["title"] = "t", ["document"] = "000", ["passage"] = "p" });

    private static JsonObject Interaction(string initiator = "TUR", string target = "RUS") => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["type"] = "airspace-closed",
        ["cameoCode"] = "172",
        ["initiator"] = initiator,
        ["target"] = target,
        ["occurredOn"] = "2022-02",
        ["theatre"] = "syria",
        ["summary"] = "Airspace closed.",
        ["sources"] = Source(),
    };

    private static JsonObject Merge(params JsonObject[] events) => new()
    {
        ["merges"] = new JsonArray(events.Select(e => (JsonNode)JsonValue.Create((string)e["id"]!)).ToArray()),
        ["reason"] = "one act",
        ["sources"] = Source(),
    };

    private Task<IReadOnlyList<RecordedItem>> Record(params JsonNode[] objects) =>
        _recorder.RecordAsync(RecordingParser.ParseBatch(new JsonArray(objects.Select(o => o.DeepClone()).ToArray()).ToJsonString()));

    private async Task<int> CountAsync()
    {
        var count = 0;
        await foreach (var _ in _store.ReadAllAsync())
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task A_merge_of_interactions_of_one_dyad_is_appended_to_that_dyad_as_interactions_merged()
    {
        JsonObject a = Interaction(), b = Interaction("RUS", "TUR"), c = Interaction();
        await Record(a, b, c);

        var item = Assert.Single(await Record(Merge(a, b, c)));

        var appended = Assert.Single(item.Events);
        Assert.Equal(new Dyad("TUR", "RUS").StreamId, appended.StreamId);
        var stored = (await _store.FindEventAsync(appended.EventId))!;
        Assert.Equal("interactions-merged", stored.Type);
        var merge = Assert.IsType<InteractionsMerged>(EventSerializer.Default.Deserialize(stored.Type, stored.SchemaVersion, stored.Data));
        Assert.Equal(new[] { a, b, c }.Select(e => Guid.Parse((string)e["id"]!)), merge.MergedEventIds);
    }

    [Fact]
    public async Task A_merge_naming_an_unknown_a_retracted_or_another_dyads_event_is_refused_by_position_and_writes_nothing()
    {
        JsonObject a = Interaction(), b = Interaction(), retracted = Interaction(), elsewhere = Interaction("TUR", "UKR");
        await Record(a, b, retracted, elsewhere, new JsonObject { ["retracts"] = (string)retracted["id"]!, ["reason"] = "r", ["sources"] = Source() });
        var before = await CountAsync();
        var unknown = Interaction();

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Merge(a, unknown, retracted, elsewhere, b)));

        Assert.Equal(["merges[1]", "merges[2]", "merges[3]"], refused.Errors.Select(e => e.Field));
        Assert.Contains("no event", refused.Errors[0].Rule);
        Assert.Contains("was retracted", refused.Errors[1].Rule);
        Assert.Contains("is on dyad TUR-UKR; a merge's events are all on one dyad (the first is on RUS-TUR)", refused.Errors[2].Rule);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_merge_may_name_interactions_recorded_in_the_same_batch_and_a_batch_with_a_bad_merge_writes_nothing()
    {
        JsonObject a = Interaction(), b = Interaction();

        await Record(a, b, Merge(a, b));
        var count = await CountAsync();
        var refused = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Interaction(), Merge(a, Interaction())));

        Assert.Equal(3, count);
        Assert.Equal("[1].merges[1]", Assert.Single(refused.Errors).Field);
        Assert.Equal(count, await CountAsync());
    }
}
