using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Tests;

/// <summary>The merge object of the recording format: its own fields, each refused by name.</summary>
public sealed class MergeRecordingTests
{
    private static readonly Guid A = Guid.Parse("6f1a7a8e-0c55-4a6e-9f0e-2f7c3b1d9a01");
    private static readonly Guid B = Guid.Parse("6f1a7a8e-0c55-4a6e-9f0e-2f7c3b1d9a02");

    private static JsonObject Valid() => new()
    {
        ["merges"] = new JsonArray(A.ToString(), B.ToString()),
        ["reason"] = "One kidnapping, reported by every outlet that day.",
        ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "Example", ["title"] = "One event", ["url"] = "https://example.org/one", ["accessed"] = "2026-11-01" }),
    };

    private static IReadOnlyList<ValidationError> Errors(Action<JsonObject> change)
    {
        var input = Valid();
        change(input);
        return Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch(input.ToJsonString(), ActorRegistry.Default)).Errors;
    }

    [Fact]
    public void A_valid_merge_lists_its_events_in_order_with_a_content_id()
    {
        var merge = Assert.IsType<MergeRecording>(RecordingParser.ParseBatch(Valid().ToJsonString(), ActorRegistry.Default).Single());
        var again = Assert.IsType<MergeRecording>(RecordingParser.ParseBatch(Valid().ToJsonString(), ActorRegistry.Default).Single());

        Assert.Equal([A, B], merge.Merges);
        Assert.Equal(again.Id, merge.Id);
        Assert.Equal("Example", Assert.Single(merge.Sources).Outlet);
    }

    [Fact]
    public void Fewer_than_two_events_a_repeated_or_malformed_id_and_missing_fields_are_refused_by_field()
    {
        Assert.Contains(Errors(m => m["merges"] = new JsonArray(A.ToString())), e => e is { Field: "merges", Rule: var r } && r.Contains("at least 2"));
        Assert.Contains(Errors(m => m["merges"] = new JsonArray(A.ToString(), A.ToString())), e => e is { Field: "merges[1]", Rule: var r } && r.Contains("listed twice"));
        Assert.Contains(Errors(m => m["merges"] = new JsonArray(A.ToString(), 7)), e => e is { Field: "merges[1]", Rule: var r } && r.Contains("UUID"));
        Assert.Contains(Errors(m => m.Remove("reason")), e => e is { Field: "reason", Rule: var r } && r.StartsWith("is required", StringComparison.Ordinal));
        Assert.Contains(Errors(m => m.Remove("sources")), e => e.Field == "sources");
        Assert.Contains(Errors(m => m["corrects"] = A.ToString()), e => e.Field is "with" or "merges");
        Assert.Contains(Errors(m => m["summary"] = "x"), e => e.Field == "summary");
    }

    [Fact]
    public void A_merge_in_a_dyad_history_is_kept_once_in_stream_order()
    {
        var merge = new InteractionsMerged(Guid.NewGuid(), [A, B], "one", []);
        var later = new InteractionsMerged(Guid.NewGuid(), [B, A], "again", []);

        var history = DyadHistory.From([merge, merge, later]);

        Assert.Equal([merge.EventId, later.EventId], history.Merges.Select(m => m.EventId));
    }
}
