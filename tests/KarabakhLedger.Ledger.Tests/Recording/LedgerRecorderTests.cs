using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Tests.Sqlite;
using KarabakhLedger.Testing;
using KarabakhLedger.Testing.Contracts;

namespace KarabakhLedger.Ledger.Tests.Recording;

public sealed class LedgerRecorderTests : IAsyncLifetime
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

    private static JsonObject Interaction(string initiator = "TUR", string target = "RUS", string date = "2022-02") => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["type"] = "airspace-closed",
        ["cameoCode"] = "172",
        ["initiator"] = initiator,
        ["target"] = target,
        ["occurredOn"] = date,
        ["theatre"] = "syria",
        ["summary"] = "Airspace closed.",
        ["sources"] = Source(),
    };

    private Task<IReadOnlyList<RecordedItem>> Record(params JsonNode[] objects) =>
        _recorder.RecordAsync(RecordingParser.ParseBatch(new JsonArray(objects.Select(o => o.DeepClone()).ToArray()).ToJsonString(), ActorRegistry.Default));

    private static JsonObject Correction(JsonObject original, Action<JsonObject> change)
    {
        var with = (JsonObject)original.DeepClone();
        with.Remove("id");
        change(with);
        return new JsonObject { ["corrects"] = (string)original["id"]!, ["reason"] = "r", ["sources"] = Source(), ["with"] = with };
    }

    private static JsonObject Merge(params JsonObject[] events) => new()
    {
        ["merges"] = new JsonArray(events.Select(e => (JsonNode)JsonValue.Create((string)e["id"]!)).ToArray()),
        ["reason"] = "one act",
        ["sources"] = Source(),
    };

    private static JsonObject Retraction(JsonObject original) =>
        new() { ["retracts"] = (string)original["id"]!, ["reason"] = "r", ["sources"] = Source() };

    [Fact]
    public async Task A_correction_is_appended_to_the_stream_of_the_event_it_corrects_and_the_original_stays()
    {
        var original = Interaction();
        await Record(original);

        await Record(Correction(original, w => w["occurredOn"] = "2022-04"));

        var stream = await _store.ReadStream(new Dyad("TUR", "RUS").StreamId);
        Assert.Equal(["airspace-closed", "interaction-corrected"], stream.Select(e => e.Type));
        var history = DyadHistory.From(stream.Select(e => EventSerializer.Default.Deserialize(e.Type, e.SchemaVersion, e.Data)));
        Assert.Equal("2022-04", history.Current.Single().Facts.OccurredOn.ToString());
        Assert.Equal("2022-02", ((InteractionEvent)history.Current.Single().Recorded).Facts.OccurredOn.ToString());
    }

    [Fact]
    public async Task A_correction_cannot_move_an_event_to_another_dyad_or_change_its_kind()
    {
        var original = Interaction();
        await Record(original);

        var moved = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Correction(original, w => w["target"] = "UKR")));
        var kind = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Correction(original, w => { w["type"] = "threat"; w["cameoCode"] = "138"; })));

        Assert.Contains(moved.Errors, e => e.Field == "with.initiator" && e.Rule.Contains("RUS-TUR"));
        Assert.Contains(kind.Errors, e => e.Field == "with.type");
        Assert.Single(await _store.ReadAll());
    }

    [Fact]
    public async Task Amending_an_unknown_event_is_refused()
    {
        var error = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Retraction(Interaction())));

        Assert.Contains(error.Errors, e => e.Field == "retracts" && e.Rule.Contains("no event"));
        Assert.Empty(await _store.ReadAll());
    }

    [Fact]
    public async Task A_retracted_event_cannot_be_corrected_or_retracted_again_but_the_same_retraction_is_idempotent()
    {
        var original = Interaction();
        await Record(original);
        var retraction = Retraction(original);
        await Record(retraction);

        var resent = await Record(retraction);
        var again = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(new JsonObject
        {
            ["retracts"] = (string)original["id"]!, ["reason"] = "another reason", ["sources"] = Source(),
        }));
        var corrected = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Correction(original, w => w["summary"] = "x")));

        Assert.Equal(AppendStatus.AlreadyAppended, resent.Single().Events.Single().Status);
        Assert.Contains("was retracted", again.Errors.Single().Rule);
        Assert.Contains("was retracted", corrected.Errors.Single().Rule);
        Assert.Equal(2, (await _store.ReadAll()).Count);
    }

    [Fact]
    public async Task A_batch_with_one_bad_amendment_writes_nothing_at_all()
    {
        var good = Interaction("ARM", "AZE");

        await Assert.ThrowsAsync<LedgerValidationException>(() => Record(good, Retraction(Interaction())));

        Assert.Empty(await _store.ReadAll());
    }

    [Fact]
    public async Task A_batch_lands_in_one_atomic_append_across_its_dyads_and_can_amend_its_own_events()
    {
        var first = Interaction("ARM", "AZE");
        var items = await Record(first, Interaction("TUR", "UKR"), Correction(first, w => w["summary"] = "Corrected."));

        Assert.Equal(3, items.Count);
        var all = await _store.ReadAll();
        Assert.Equal(3, all.Count);
        Assert.Equal(2, all.Count(e => e.StreamId == "dyad-ARM-AZE"));
    }

    [Fact]
    public async Task An_expected_version_guards_the_one_stream_a_batch_touches_and_a_stale_one_writes_nothing()
    {
        await Record(Interaction());
        var batch = RecordingParser.ParseBatch(new JsonArray(Interaction()).ToJsonString(), ActorRegistry.Default);

        var stale = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => _recorder.RecordAsync(batch, expected: ExpectedVersion.NoStream));
        var items = await _recorder.RecordAsync(batch, expected: ExpectedVersion.Exactly(1));

        Assert.Equal("dyad-RUS-TUR", stale.StreamId);
        Assert.Equal(2, items.Single().Events.Single().StreamVersion);
        Assert.Equal(2, (await _store.ReadAll()).Count);
    }

    [Fact]
    public async Task An_expected_version_cannot_guard_a_batch_that_touches_several_streams()
    {
        var batch = RecordingParser.ParseBatch(new JsonArray(Interaction("ARM", "AZE"), Interaction("TUR", "UKR")).ToJsonString(), ActorRegistry.Default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _recorder.RecordAsync(batch, expected: ExpectedVersion.NoStream));

        Assert.Empty(await _store.ReadAll());
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
        await Record(a, b, retracted, elsewhere, Retraction(retracted));
        var before = (await _store.ReadAll()).Count;
        var unknown = Interaction();

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Merge(a, unknown, retracted, elsewhere, b)));
        var mergesRetracted = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Merge(a, b, retracted)));
        var retractedInBatch = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Retraction(b), Merge(a, b)));

        Assert.Equal(["merges[1]", "merges[3]"], refused.Errors.Select(e => e.Field));
        Assert.Contains("no event", refused.Errors[0].Rule);
        Assert.Contains("is on dyad TUR-UKR; a merge's events are all on one dyad (the first is on RUS-TUR)", refused.Errors[1].Rule);
        Assert.Equal("merges[2]", Assert.Single(mergesRetracted.Errors).Field);
        Assert.Contains("was retracted", mergesRetracted.Errors[0].Rule);
        Assert.Equal("[1].merges[1]", Assert.Single(retractedInBatch.Errors).Field);
        Assert.Contains("earlier in this batch", retractedInBatch.Errors[0].Rule);
        Assert.Equal(before, (await _store.ReadAll()).Count);
    }

    [Fact]
    public async Task A_merge_may_name_interactions_recorded_in_the_same_batch_and_a_batch_with_a_bad_merge_writes_nothing()
    {
        JsonObject a = Interaction(), b = Interaction();

        await Record(a, b, Merge(a, b));
        var count = (await _store.ReadAll()).Count;
        var refused = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(Interaction(), Merge(a, Interaction())));

        Assert.Equal(3, count);
        Assert.Equal("[1].merges[1]", Assert.Single(refused.Errors).Field);
        Assert.Equal(count, (await _store.ReadAll()).Count);
    }
}
