using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;

namespace KarabakhLedger.Testing.Tampering;

/// <summary>
/// The adversarial tamper suite of issue 11, for every store: a ledger is recorded, a checkpoint signed, two more
/// events recorded, and then the database is changed behind the ledger's back. Every change must be detected against
/// the checkpoint, with the kind of change, the leaf and the stream named. Each store runs it through a one-line
/// subclass saying how to create an empty <see cref="TamperedLedger"/>.
/// </summary>
public abstract class TamperSuite : IAsyncLifetime
{
    private readonly LedgerSigningKey _key = LedgerSigningKey.Create();

    private TamperedLedger _ledger = null!;

    private Checkpoint _checkpoint = null!;

    /// <summary>The events as recorded, in global order: index i is leaf i.</summary>
    private List<StoredEvent> _events = null!;

    private Guid _retraction;

    protected abstract Task<TamperedLedger> CreateEmptyAsync();

    public async Task InitializeAsync()
    {
        _ledger = await CreateEmptyAsync();
        (_checkpoint, _events, _retraction) = await SeedAsync(_ledger, _key);
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _key.Dispose();
    }

    /// <summary>
    /// Four dyads recorded one act at a time, so their streams interleave in the global order; a retraction, the last
    /// event of its stream; a checkpoint of those; and two acts after the checkpoint.
    /// </summary>
    public static async Task<(Checkpoint Checkpoint, List<StoredEvent> Events, Guid Retraction)> SeedAsync(TamperedLedger ledger, LedgerSigningKey key)
    {
        await using var store = await ledger.OpenAsync();
        var recorder = new LedgerRecorder(store, EventSerializer.Default, TimeProvider.System);
        var dyads = new[] { ("ARM", "AZE"), ("RUS", "TUR"), ("GEO", "RUS"), ("IRN", "TUR") };
        string? retracted = null;
        for (var round = 0; round < 4; round++)
        {
            foreach (var (a, b) in dyads)
            {
                var act = Interaction(a, b, $"{2019 + round}-0{1 + round}", $"Round {round} of talks between {a} and {b}.");
                await recorder.RecordAsync(RecordingParser.ParseBatch(new JsonArray(act).ToJsonString(), ActorRegistry.Default));
                if (a == "GEO" && round == 1)
                {
                    retracted = (string)act["id"]!;
                }
            }
        }

        var retraction = new JsonObject { ["retracts"] = retracted, ["reason"] = "The talks did not take place.", ["sources"] = Source() };
        await recorder.RecordAsync(RecordingParser.ParseBatch(new JsonArray(retraction).ToJsonString(), ActorRegistry.Default));
        var checkpoint = Checkpoint.Sign(await MerkleLog.HeadAsync(store.Log), TimeProvider.System.GetUtcNow(), key);
        var events = await ReadAllAsync(store);
        foreach (var (a, b) in dyads[..2])
        {
            await recorder.RecordAsync(RecordingParser.ParseBatch(new JsonArray(Interaction(a, b, "2024-05", "After the checkpoint.")).ToJsonString(), ActorRegistry.Default));
        }

        return (checkpoint, events, events[^1].EventId);
    }

    private static JsonObject Interaction(string initiator, string target, string date, string summary) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["type"] = "talks-held",
        ["cameoCode"] = "046",
        ["initiator"] = initiator,
        ["target"] = target,
        ["occurredOn"] = date,
        ["theatre"] = "south-caucasus",
        ["summary"] = summary,
        ["sources"] = Source(),
    };

    private static JsonArray Source() => new(new JsonObject { ["outlet"] = "Test", ["title"] = "Synthetic", ["document"] = "none", ["passage"] = "p" });

    private static async Task<List<StoredEvent>> ReadAllAsync(ILedgerStore store)
    {
        var events = new List<StoredEvent>();
        await foreach (var e in store.ReadAllAsync())
        {
            events.Add(e);
        }

        return events;
    }

    private async Task<(VerificationReport Checkpointed, VerificationReport ChainsOnly)> VerifyAsync()
    {
        await using var store = await _ledger.OpenAsync();
        return (await CheckpointVerifier.VerifyAsync(store, _checkpoint, _key.Public), await ChainVerifier.VerifyAsync(store));
    }

    /// <summary>The first dyad recorded; it has an event after the checkpoint too.</summary>
    private string Armenia => _events[0].StreamId;

    /// <summary>The fourth dyad recorded; none of its events is after the checkpoint.</summary>
    private string Iran => _events[3].StreamId;

    private int IndexOf(Guid eventId) => _events.FindIndex(e => e.EventId == eventId);

    private List<StoredEvent> Stream(string streamId) => _events.Where(e => e.StreamId == streamId).ToList();

    private static LedgerChange AssertChange(VerificationReport report, ChangeKind kind, long? leaf, string? stream)
    {
        Assert.False(report.Intact);
        var check = Assert.IsType<CheckpointCheck>(report.Checkpoint);
        Assert.True(check.SignatureValid);
        var change = Assert.IsType<LedgerChange>(check.FirstChange);
        Assert.Equal((kind, leaf, stream), (change.Kind, change.LeafIndex, change.StreamId));
        return change;
    }

    [Fact]
    public async Task An_untouched_ledger_holds_against_its_checkpoint_and_later_events_do_not_matter()
    {
        var (report, _) = await VerifyAsync();

        Assert.True(report.Intact, report.Checkpoint?.FirstChange?.Detail ?? report.Checkpoint?.LogProblem);
        Assert.Equal(_events.Count, report.Checkpoint!.Size);
        Assert.Equal(_events.Count + 2, report.Checkpoint.EventsCompared);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_or_edited_is_refused()
    {
        using var other = LedgerSigningKey.Create();
        await using var store = await _ledger.OpenAsync();

        var wrongKey = await CheckpointVerifier.VerifyAsync(store, _checkpoint, other.Public);
        var edited = await CheckpointVerifier.VerifyAsync(store, _checkpoint with { Time = _checkpoint.Time.AddSeconds(1) }, _key.Public);

        Assert.False(wrongKey.Intact);
        Assert.Contains("not the given key", wrongKey.Checkpoint!.SignatureProblem);
        Assert.False(edited.Intact);
        Assert.Contains("does not verify", edited.Checkpoint!.SignatureProblem);
    }

    [Fact]
    public async Task Deleting_the_last_event_of_a_stream_is_missing_at_its_leaf()
    {
        var last = Stream(Iran)[^1];
        await _ledger.DeleteAsync(last.Position);

        var (report, chains) = await VerifyAsync();

        Assert.True(chains.Intact);
        var change = AssertChange(report, ChangeKind.Missing, IndexOf(last.EventId), Iran);
        Assert.Equal(last.EventId, change.EventId);
    }

    [Fact]
    public async Task Deleting_a_whole_stream_is_missing_at_its_first_leaf()
    {
        var stream = Stream(Iran);
        await _ledger.DeleteStreamAsync(Iran);

        var (report, chains) = await VerifyAsync();

        Assert.True(chains.Intact);
        var change = AssertChange(report, ChangeKind.Missing, IndexOf(stream[0].EventId), Iran);
        Assert.Equal(stream[0].EventId, change.EventId);
    }

    [Fact]
    public async Task Truncating_the_last_ten_positions_is_missing_at_the_first_signed_leaf_cut()
    {
        await using (var store = await _ledger.OpenAsync())
        {
            foreach (var e in (await ReadAllAsync(store)).TakeLast(10))
            {
                await _ledger.DeleteAsync(e.Position);
            }
        }

        var (report, chains) = await VerifyAsync();

        Assert.True(chains.Intact);
        var firstCut = _events[^8];
        AssertChange(report, ChangeKind.Missing, _events.Count - 8, firstCut.StreamId);
    }

    [Fact]
    public async Task Swapping_the_positions_of_two_events_of_different_streams_is_reordered()
    {
        var a = _events[4];
        var b = _events.Skip(5).First(e => e.StreamId != a.StreamId);
        await _ledger.SwapPositionsAsync(a.Position, b.Position);

        var (report, _) = await VerifyAsync();

        var change = AssertChange(report, ChangeKind.Reordered, 4, b.StreamId);
        Assert.Equal(b.EventId, change.EventId);
    }

    [Fact]
    public async Task Deleting_a_recorded_retraction_is_missing_though_every_chain_holds()
    {
        var retraction = _events[IndexOf(_retraction)];
        await _ledger.DeleteAsync(retraction.Position);

        var (report, chains) = await VerifyAsync();

        Assert.True(chains.Intact);
        var change = AssertChange(report, ChangeKind.Missing, IndexOf(_retraction), retraction.StreamId);
        Assert.Equal(_retraction, change.EventId);
    }

    /// <summary>
    /// A log written before ADR 29 also holds the node rows of levels 1 to 3. They are not read: the ledger verifies,
    /// proves every signed event and grows as one written since, and the new root is the events' tree.
    /// </summary>
    [Fact]
    public async Task A_log_with_the_node_rows_below_level_four_written_before_ADR_29_verifies_proves_and_grows()
    {
        await using (var store = await _ledger.OpenAsync())
        {
            var frontier = new MerkleFrontier();
            await foreach (var leaf in store.Log.ReadLeavesAsync())
            {
                foreach (var node in frontier.Append(leaf.LeafHash).Where(node => node.Id.Level is > 0 and < StoredSubtrees.LowestStoredLevel))
                {
                    await _ledger.WriteNodeAsync(node.Id, node.Hash);
                }
            }

            Assert.True(frontier.Size > StoredSubtrees.LowestStoredWidth, "the log has nodes of level 4");
        }

        var (before, _) = await VerifyAsync();
        Assert.True(before.Intact, before.Checkpoint?.FirstChange?.Detail ?? before.Checkpoint?.LogProblem);

        await using (var store = await _ledger.OpenAsync())
        {
            foreach (var e in _events)
            {
                Assert.True((await EventProofs.ProveAsync(store, e.EventId, _checkpoint.Size)).VerifiesAgainst(_checkpoint.RootBytes));
            }

            var recorder = new LedgerRecorder(store, EventSerializer.Default, TimeProvider.System);
            await recorder.RecordAsync(RecordingParser.ParseBatch(new JsonArray(Interaction("ARM", "AZE", "2024-06", "After the old rows.")).ToJsonString(), ActorRegistry.Default));
            var grown = new MerkleFrontier();
            foreach (var e in await ReadAllAsync(store))
            {
                grown.Append(LedgerLeaf.Of(e).Hash());
            }

            Assert.Equal(grown.Root(), (await MerkleLog.HeadAsync(store.Log)).Root);
        }

        var (after, _) = await VerifyAsync();
        Assert.True(after.Intact, after.Checkpoint?.FirstChange?.Detail ?? after.Checkpoint?.LogProblem);
    }

    /// <summary>
    /// Node rows below level 4 are never read (ADR 29): a row there that disagrees with the leaves is not the ledger's
    /// tree and changes no root or proof, so verify does not report it.
    /// </summary>
    [Fact]
    public async Task A_rewritten_node_row_below_level_four_is_not_read()
    {
        await _ledger.WriteNodeAsync(new NodeId(1, 0), new byte[MerkleHash.Size]);
        await _ledger.WriteNodeAsync(new NodeId(3, 1), MerkleHash.Leaf([1, 2, 3]));

        var (report, _) = await VerifyAsync();

        Assert.True(report.Intact, report.Checkpoint?.FirstChange?.Detail ?? report.Checkpoint?.LogProblem);
    }

    /// <summary>A stored inner node from level 4 up is part of every root it covers: rewriting it is a log problem.</summary>
    [Fact]
    public async Task A_rewritten_node_row_of_level_four_is_a_problem_of_the_stored_log()
    {
        Assert.True(_checkpoint.Size > StoredSubtrees.LowestStoredWidth, "the checkpoint covers node (4, 0)");
        await _ledger.WriteNodeAsync(new NodeId(StoredSubtrees.LowestStoredLevel, 0), MerkleHash.Leaf([1, 2, 3]));

        var (report, chains) = await VerifyAsync();

        Assert.True(chains.Intact, chains.FirstBroken?.Problem);
        Assert.False(report.Intact);
        Assert.Null(report.Checkpoint!.FirstChange);
        Assert.Contains("do not give the checkpoint's root", report.Checkpoint.LogProblem);
    }

    public enum Forgery
    {
        RewriteSummary,
        Insert,
        Delete,
        BackDate,
    }

    [Theory]
    [InlineData(Forgery.RewriteSummary, ChangeKind.Altered)]
    [InlineData(Forgery.Insert, ChangeKind.Inserted)]
    [InlineData(Forgery.Delete, ChangeKind.Missing)]
    [InlineData(Forgery.BackDate, ChangeKind.Altered)]
    public async Task A_forger_who_rechains_a_stream_with_the_ledgers_own_hash_is_caught_with_the_kind_named(Forgery forgery, ChangeKind kind)
    {
        var (index, stream) = await ForgeAsync(forgery);

        var (report, chains) = await VerifyAsync();

        Assert.True(chains.Intact, chains.FirstBroken?.Problem);
        AssertChange(report, kind, index, stream);
    }

    [Theory]
    [InlineData(Forgery.RewriteSummary)]
    [InlineData(Forgery.Insert)]
    [InlineData(Forgery.Delete)]
    [InlineData(Forgery.BackDate)]
    public async Task A_forger_who_also_rebuilds_the_stored_Merkle_log_is_still_caught_by_the_signed_root(Forgery forgery)
    {
        await ForgeAsync(forgery);
        await _ledger.DropLogAsync();

        var (report, chains) = await VerifyAsync();

        Assert.True(chains.Intact, chains.FirstBroken?.Problem);
        AssertChange(report, ChangeKind.Unlocated, null, null);
        Assert.Contains("rewritten", report.Checkpoint!.LogProblem);
        await using var store = await _ledger.OpenAsync();
        var rebuilt = await MerkleLog.HeadAsync(store.Log);
        Assert.Equal(report.Checkpoint.EventsCompared, rebuilt.Size);
    }

    /// <summary>
    /// Rewrites one stream as a forger with the ledger's own <see cref="EventHash"/> would: the change, then every
    /// later event of the stream re-chained, at the stream's own positions (one more at the end for an insert, one
    /// fewer for a delete). Returns the leaf where the forgery first shows and the stream.
    /// </summary>
    private async Task<(long Index, string Stream)> ForgeAsync(Forgery forgery)
    {
        List<StoredEvent> stream = [];
        await using (var store = await _ledger.OpenAsync())
        {
            await foreach (var e in store.ReadStreamAsync(Armenia))
            {
                stream.Add(e);
            }
        }

        Assert.True(stream.Count > _events.Count(e => e.StreamId == Armenia), "the forged stream goes on after the checkpoint");
        var target = stream[1];
        var positions = stream.Select(e => e.Position).ToList();
        var forged = stream.Select(e => (Event: e, Type: e.Type, Data: e.Data, At: e.RecordedAt)).ToList();
        switch (forgery)
        {
            case Forgery.RewriteSummary:
                forged[1] = forged[1] with { Data = forged[1].Data.Replace("Round 1 of talks", "Round 1 of secret talks", StringComparison.Ordinal) };
                Assert.NotEqual(target.Data, forged[1].Data);
                break;
            case Forgery.BackDate:
                forged[1] = forged[1] with { At = forged[1].At.AddYears(-3) };
                break;
            case Forgery.Insert:
                forged.Insert(1, (target with { EventId = Guid.NewGuid() }, target.Type, target.Data.Replace("Round 1", "Round 0.5", StringComparison.Ordinal), target.RecordedAt));
                await using (var store = await _ledger.OpenAsync())
                {
                    positions.Add(await store.GetHeadPositionAsync() + 1);
                }

                break;
            case Forgery.Delete:
                forged.RemoveAt(1);
                positions.RemoveAt(positions.Count - 1);
                break;
        }

        foreach (var e in stream)
        {
            await _ledger.DeleteAsync(e.Position);
        }

        var previous = EventHash.Genesis;
        for (var i = 0; i < forged.Count; i++)
        {
            var (e, type, data, at) = forged[i];
            var hash = EventHash.Compute(Armenia, i + 1, e.EventId, type, e.SchemaVersion, data, at, previous);
            await _ledger.InsertAsync(e with { Position = positions[i], StreamVersion = i + 1, Type = type, Data = data, RecordedAt = EventHash.Truncate(at), PreviousHash = previous, Hash = hash });
            previous = hash;
        }

        return (IndexOf(target.EventId), Armenia);
    }

    [Fact]
    public async Task A_malformed_row_is_reported_as_a_broken_link_at_its_position_and_never_crashes_verify()
    {
        Assert.NotEmpty(_ledger.Corruptions);
        foreach (var corruption in _ledger.Corruptions)
        {
            await using var ledger = await CreateEmptyAsync();
            var (checkpoint, events, _) = await SeedAsync(ledger, _key);
            var victim = events[3];
            await ledger.CorruptAsync(victim.Position, corruption);

            await using var store = await ledger.OpenAsync();
            var chains = await ChainVerifier.VerifyAsync(store);
            var report = await CheckpointVerifier.VerifyAsync(store, checkpoint, _key.Public);

            foreach (var r in new[] { chains, report })
            {
                var broken = Assert.IsType<BrokenLink>(r.FirstBroken);
                Assert.Equal(victim.Position, broken.Position);
                Assert.Contains(corruption.ExpectedProblem, broken.Problem);
            }

            Assert.Equal(ChangeKind.Malformed, report.Checkpoint!.FirstChange!.Kind);
            Assert.Equal(3, report.Checkpoint.FirstChange.LeafIndex);
        }
    }
}
