using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Store;
using static KarabakhLedger.Testing.RecordingJson;

namespace KarabakhLedger.Testing.Contracts;

/// <summary>
/// Amendments under contention, for every adapter: writers released together by a barrier, on two store instances
/// over one ledger (two processes or two nodes), try to retract and correct the same event. A retraction must end
/// the event's amendments whatever the interleaving; a batch that breaks the rule within itself is refused whole.
/// </summary>
public abstract class AmendmentRaceContract : IAsyncLifetime
{
    private const int Writers = 8;
    private const int Trials = 10;

    private static readonly Dyad Dyad = new("TUR", "RUS");

    private readonly TimeProvider _clock = TimeProvider.System;
    private ILedgerStore _store = null!;
    private ILedgerStore _otherWriter = null!;

    /// <summary>A new, empty store of the adapter under test.</summary>
    protected abstract Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock);

    /// <summary>A second, independent instance of the adapter over the same ledger as <paramref name="store"/>.</summary>
    protected abstract Task<ILedgerStore> OpenSameLedgerAsync(ILedgerStore store, TimeProvider clock);

    public async Task InitializeAsync()
    {
        _store = await OpenEmptyStoreAsync(_clock);
        _otherWriter = await OpenSameLedgerAsync(_store, _clock);
    }

    public async Task DisposeAsync()
    {
        await _otherWriter.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Of_many_concurrent_retractions_of_one_event_exactly_one_is_stored()
    {
        for (var trial = 0; trial < Trials; trial++)
        {
            var original = Interaction();
            await Record(_store, original);

            var outcomes = await Race(Enumerable.Range(0, Writers).Select(_ => Retraction(original)).ToArray());

            Assert.Single(outcomes, o => o is null);
            Assert.All(outcomes.OfType<Exception>(), e => AssertRefused(e, "retracts", "was retracted"));
            Assert.Single(await AmendmentsOf(original), a => a.Retracts);
        }
    }

    [Fact]
    public async Task A_correction_racing_a_retraction_is_never_stored_after_it()
    {
        for (var trial = 0; trial < Trials; trial++)
        {
            var original = Interaction();
            await Record(_store, original);

            var outcomes = await Race(Enumerable.Range(0, Writers)
                .Select(i => i % 2 == 0 ? Retraction(original) : Correction(original, $"2022-0{1 + (i / 2)}"))
                .ToArray());

            Assert.All(outcomes.OfType<Exception>(), e => AssertRefused(e, null, "was retracted"));
            var amendments = await AmendmentsOf(original);
            var retraction = amendments.FindIndex(a => a.Retracts);
            Assert.True(retraction >= 0, "no retraction was stored");
            Assert.Equal(retraction, amendments.Count - 1);
            Assert.Equal(outcomes.Count(o => o is null), amendments.Count);
        }
    }

    [Fact]
    public async Task A_batch_with_two_retractions_of_one_event_is_refused_whole()
    {
        var original = Interaction();
        await Record(_store, original);
        var before = await MerkleLog.HeadAsync(_store.Log);
        var good = Interaction(initiator: "ARM", target: "AZE");

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(
            () => Record(_store, good, Retraction(original), Retraction(original)));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("[2].retracts", error.Field);
        Assert.Contains("earlier in this batch", error.Rule);
        await AssertNothingWritten(before);
    }

    [Fact]
    public async Task A_batch_that_corrects_an_event_after_retracting_it_is_refused_whole()
    {
        var original = Interaction();
        await Record(_store, original);
        var before = await MerkleLog.HeadAsync(_store.Log);

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(
            () => Record(_store, Retraction(original), Correction(original, "2022-05")));

        Assert.Equal("[1].corrects", Assert.Single(refused.Errors).Field);
        await AssertNothingWritten(before);
    }

    [Fact]
    public async Task A_batch_that_records_an_event_and_retracts_it_twice_is_refused_whole()
    {
        var before = await MerkleLog.HeadAsync(_store.Log);
        var original = Interaction();

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(
            () => Record(_store, original, Retraction(original), Retraction(original)));

        Assert.Equal("[2].retracts", Assert.Single(refused.Errors).Field);
        await AssertNothingWritten(before);
    }

    [Fact]
    public async Task A_correction_before_a_retraction_in_one_batch_is_stored_and_a_resent_batch_changes_nothing()
    {
        var original = Interaction();
        await Record(_store, original);
        var batch = new[] { Correction(original, "2022-05"), Retraction(original) };

        await Record(_store, batch);
        var resent = await Record(_otherWriter, batch);

        Assert.All(resent.SelectMany(r => r.Events), e => Assert.Equal(AppendStatus.AlreadyAppended, e.Status));
        Assert.Equal([false, true], (await AmendmentsOf(original)).Select(a => a.Retracts));
        var late = await Assert.ThrowsAsync<LedgerValidationException>(() => Record(_otherWriter, Correction(original, "2022-06")));
        AssertRefused(late, "corrects", "was retracted");
    }

    private static void AssertRefused(Exception e, string? field, string rule)
    {
        var refused = Assert.IsType<LedgerValidationException>(e);
        var error = Assert.Single(refused.Errors);
        Assert.Contains(rule, error.Rule);
        if (field is not null)
        {
            Assert.Equal(field, error.Field);
        }
    }

    private async Task AssertNothingWritten(TreeHead before)
    {
        var after = await MerkleLog.HeadAsync(_store.Log);
        Assert.Equal((before.Size, before.RootHex), (after.Size, after.RootHex));
        Assert.Equal(before.Size, (await _store.ReadAll()).Count);
    }

    /// <summary>
    /// Records each batch on its own thread, alternating between the two store instances; the threads are released
    /// together by a barrier once all are ready. Null where the batch was recorded, else what it threw.
    /// </summary>
    private async Task<Exception?[]> Race(IReadOnlyList<JsonObject> batches)
    {
        var parsed = batches.Select(b => RecordingParser.ParseBatch(Batch(b), ActorRegistry.Default)).ToArray();
        var outcomes = new Exception?[parsed.Length];
        var done = parsed.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var barrier = new Barrier(parsed.Length);
        for (var i = 0; i < parsed.Length; i++)
        {
            var index = i;
            var recorder = new LedgerRecorder(index % 2 == 0 ? _store : _otherWriter, EventSerializer.Default, _clock);
            new Thread(() =>
            {
                barrier.SignalAndWait();
                try
                {
                    recorder.RecordAsync(parsed[index]).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    outcomes[index] = e;
                }

                done[index].SetResult();
            }) { IsBackground = true }.Start();
        }

        await Task.WhenAll(done.Select(d => d.Task));
        return outcomes;
    }

    private async Task<List<Amendment>> AmendmentsOf(JsonObject original)
    {
        var id = Guid.Parse((string)original["id"]!);
        return (await _store.ReadStream(Dyad.StreamId))
            .SelectMany(e => Amendment.Of(EventSerializer.Default.Deserialize(e.Type, e.SchemaVersion, e.Data)))
            .Where(a => a.Target == id)
            .ToList();
    }

    private Task<IReadOnlyList<RecordedItem>> Record(ILedgerStore store, params JsonObject[] objects) =>
        new LedgerRecorder(store, EventSerializer.Default, _clock)
            .RecordAsync(RecordingParser.ParseBatch(Batch(objects), ActorRegistry.Default));
}
