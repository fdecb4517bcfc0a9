using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using Microsoft.Extensions.Time.Testing;
using static KarabakhLedger.Testing.Contracts.TestEvents;

namespace KarabakhLedger.Testing.Contracts;

/// <summary>
/// What every adapter of <see cref="ILedgerStore"/> must do. Each adapter runs this suite through a one-line
/// subclass that says how to open a fresh, empty store.
/// </summary>
public abstract class LedgerStoreContract : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 30, 15, TimeSpan.Zero).AddTicks(1234567));

    protected ILedgerStore Store { get; private set; } = null!;

    /// <summary>A new, empty store of the adapter under test, using <paramref name="clock"/> for recording times.</summary>
    protected abstract Task<ILedgerStore> OpenEmptyStoreAsync(TimeProvider clock);

    public async Task InitializeAsync() => Store = await OpenEmptyStoreAsync(Clock);

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task A_new_stream_starts_at_version_1_and_positions_grow()
    {
        var result = await Store.AppendAsync([To("dyad-RUS-TUR", ExpectedVersion.NoStream, Events(3))]);

        Assert.Equal([1L, 2L, 3L], result.Select(r => r.StreamVersion));
        Assert.All(result, r => Assert.Equal(AppendStatus.Appended, r.Status));
        Assert.True(result[0].Position < result[1].Position && result[1].Position < result[2].Position);
        var stored = await Store.ReadStream("dyad-RUS-TUR");
        Assert.Equal(result.Select(r => r.EventId), stored.Select(e => e.EventId));
    }

    [Fact]
    public async Task An_exact_expected_version_that_matches_appends()
    {
        await Store.AppendAsync([To("s", ExpectedVersion.NoStream, Events(2))]);

        var result = await Store.AppendAsync([To("s", ExpectedVersion.Exactly(2), Event())]);

        Assert.Equal(3, result.Single().StreamVersion);
    }

    [Fact]
    public async Task A_stale_expected_version_is_a_conflict_that_names_the_actual_version_and_writes_nothing()
    {
        await Store.AppendAsync([To("s", ExpectedVersion.NoStream, Events(2))]);

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => Store.AppendAsync([To("s", ExpectedVersion.Exactly(1), Event())]));

        Assert.Equal("s", conflict.StreamId);
        Assert.Equal(2, conflict.Actual);
        Assert.Equal(2, (await Store.ReadStream("s")).Count);
    }

    [Fact]
    public async Task No_stream_expected_on_an_existing_stream_is_a_conflict()
    {
        await Store.AppendAsync([To("s", Event())]);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync([To("s", ExpectedVersion.NoStream, Event())]));
    }

    [Fact]
    public async Task Resending_appended_events_reports_them_already_appended_and_duplicates_nothing()
    {
        var events = Events(3);
        var first = await Store.AppendAsync([To("s", ExpectedVersion.NoStream, events)]);

        var again = await Store.AppendAsync([To("s", ExpectedVersion.NoStream, events)]);
        var anyVersion = await Store.AppendAsync([To("s", ExpectedVersion.Any, events)]);

        Assert.All(again.Concat(anyVersion), r => Assert.Equal(AppendStatus.AlreadyAppended, r.Status));
        Assert.Equal(first.Select(r => (r.EventId, r.StreamVersion, r.Position, r.Hash)), again.Select(r => (r.EventId, r.StreamVersion, r.Position, r.Hash)));
        Assert.Equal(3, (await Store.ReadAll()).Count);
    }

    [Fact]
    public async Task With_any_version_only_the_new_events_of_a_partly_sent_batch_are_appended()
    {
        var events = Events(3);
        await Store.AppendAsync([To("s", events[0])]);

        var result = await Store.AppendAsync([To("s", events)]);

        Assert.Equal([AppendStatus.AlreadyAppended, AppendStatus.Appended, AppendStatus.Appended], result.Select(r => r.Status));
        Assert.Equal(events.Select(e => e.EventId), (await Store.ReadStream("s")).Select(e => e.EventId));
    }

    [Fact]
    public async Task With_an_exact_version_a_mix_of_stored_and_new_events_is_a_conflict()
    {
        var events = Events(2);
        await Store.AppendAsync([To("s", ExpectedVersion.NoStream, events[0])]);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync([To("s", ExpectedVersion.Exactly(1), events)]));
        Assert.Single(await Store.ReadAll());
    }

    [Fact]
    public async Task An_event_id_reused_with_other_content_is_refused()
    {
        var id = Guid.NewGuid();
        await Store.AppendAsync([To("s", Event("original", id))]);

        var conflict = await Assert.ThrowsAsync<EventIdConflictException>(() => Store.AppendAsync([To("s", Event("altered", id))]));

        Assert.Equal(id, conflict.EventId);
        Assert.Single(await Store.ReadAll());
    }

    [Fact]
    public async Task An_event_id_stored_in_another_stream_is_refused()
    {
        var e = Event();
        await Store.AppendAsync([To("a", e)]);

        await Assert.ThrowsAsync<EventIdConflictException>(() => Store.AppendAsync([To("b", e)]));
        Assert.Empty(await Store.ReadStream("b"));
    }

    [Fact]
    public async Task An_append_across_streams_commits_all_of_it()
    {
        var result = await Store.AppendAsync([To("a", Events(2)), To("b", Events(1)), To("c", Events(3))]);

        Assert.Equal(6, result.Count);
        Assert.Equal(2, (await Store.ReadStream("a")).Count);
        Assert.Single(await Store.ReadStream("b"));
        Assert.Equal(3, (await Store.ReadStream("c")).Count);
    }

    [Fact]
    public async Task An_append_across_streams_with_one_conflict_writes_none_of_it()
    {
        await Store.AppendAsync([To("b", ExpectedVersion.NoStream, Event())]);
        var before = await Store.ReadAll();

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync(
            [To("a", ExpectedVersion.NoStream, Events(2)), To("b", ExpectedVersion.NoStream, Event()), To("c", Events(1))]));

        Assert.Equal(before.Select(e => e.EventId), (await Store.ReadAll()).Select(e => e.EventId));
        var next = await Store.AppendAsync([To("a", ExpectedVersion.NoStream, Event())]);
        Assert.Equal(1, next.Single().StreamVersion);
    }

    [Fact]
    public async Task Reading_a_stream_from_a_version_skips_the_earlier_ones()
    {
        var appended = await Store.AppendAsync([To("s", Events(5))]);

        var tail = await Store.ReadStream("s", from: 4);

        Assert.Equal(appended.Skip(3).Select(r => r.EventId), tail.Select(e => e.EventId));
        Assert.Empty(await Store.ReadStream("missing"));
    }

    [Fact]
    public async Task Reading_all_follows_commit_order_across_streams_from_any_position()
    {
        var a = await Store.AppendAsync([To("a", Events(2))]);
        var b = await Store.AppendAsync([To("b", Events(2))]);
        var c = await Store.AppendAsync([To("a", Events(1)), To("c", Events(1))]);
        var expected = a.Concat(b).Concat(c).Select(r => r.EventId).ToArray();

        var all = await Store.ReadAll();
        var afterSecond = await Store.ReadAll(after: all[1].Position);

        Assert.Equal(expected, all.Select(e => e.EventId));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Position < p.Second.Position));
        Assert.Equal(expected.Skip(2), afterSecond.Select(e => e.EventId));
        Assert.Empty(await Store.ReadAll(after: all[^1].Position));
    }

    [Fact]
    public async Task Reading_all_pages_through_more_events_than_one_page()
    {
        await Store.AppendAsync([To("a", Events(700, "a")), To("b", Events(700, "b"))]);

        var all = await Store.ReadAll();

        Assert.Equal(1400, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Position).Distinct().Count());
        Assert.Equal(700, (await Store.ReadStream("b")).Count);
    }

    [Fact]
    public async Task The_head_is_the_position_of_the_last_committed_event_and_reading_after_it_finds_only_later_ones()
    {
        Assert.Equal(0, await Store.GetHeadPositionAsync());
        var first = await Store.AppendAsync([To("a", Events(2)), To("b", Events(1))]);
        var head = await Store.GetHeadPositionAsync();
        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync([new StreamAppend("c", ExpectedVersion.Exactly(5), Events(1))]));
        var later = await Store.AppendAsync([To("c", Events(1))]);

        Assert.Equal(first.Max(e => e.Position), head);
        Assert.Equal(later.Single().Position, await Store.GetHeadPositionAsync());
        Assert.Equal([later.Single().EventId], (await Store.ReadAll(head)).Select(e => e.EventId));
    }

    [Fact]
    public async Task An_event_is_found_by_id_wherever_it_is()
    {
        var e = Event("findable");
        await Store.AppendAsync([To("a", Events(2)), To("b", e)]);

        var found = await Store.FindEventAsync(e.EventId);

        Assert.NotNull(found);
        Assert.Equal(("b", 1L, e.Type), (found.StreamId, found.StreamVersion, found.Type));
        Assert.Null(await Store.FindEventAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Stored_events_keep_their_type_version_data_and_recording_time()
    {
        var e = Event("Erdoğan and Зеленський — 100%");
        Clock.Advance(TimeSpan.FromDays(3));

        await Store.AppendAsync([To("s", e)]);
        var stored = (await Store.ReadAll()).Single();

        Assert.Equal((e.EventId, e.Type, e.SchemaVersion), (stored.EventId, stored.Type, stored.SchemaVersion));
        Assert.Equal(Domain.Contracts.CanonicalJson.Canonicalize(e.Data), Domain.Contracts.CanonicalJson.Canonicalize(stored.Data));
        Assert.Equal(EventHash.Truncate(Clock.GetUtcNow()), stored.RecordedAt);
    }

    [Fact]
    public async Task Data_that_is_not_json_is_refused_the_same_in_a_small_and_a_large_append_and_nothing_is_written()
    {
        var bad = new EventToAppend(Guid.NewGuid(), "test.event", 1, "{not json");
        var large = Enumerable.Range(0, 80)
            .Select(i => i == 40 ? bad : new EventToAppend(Guid.NewGuid(), "test.event", 1, $"{{\"n\": {i}}}"))
            .ToArray();

        var small = await Record.ExceptionAsync(() => Store.AppendAsync([To("s", bad)]));
        var bulk = await Record.ExceptionAsync(() => Store.AppendAsync([To("t", large[..40]), To("u", large[40..])]));

        Assert.NotNull(small);
        Assert.NotNull(bulk);
        Assert.Equal(small.GetType(), bulk.GetType());
        Assert.Empty(await Store.ReadAll());
    }

    [Fact]
    public async Task Data_is_stored_in_its_canonical_form_whatever_form_it_came_in()
    {
        var spaced = new EventToAppend(Guid.NewGuid(), "test.event", 1, "{ \"z\" : [1, 2.50, \"\\u0041\"], \"a\" : {\"y\": true, \"b\": null} }");
        var bulk = Enumerable.Range(0, 80)
            .Select(i => new EventToAppend(Guid.NewGuid(), "test.event", 1, $"{{\"n\": {i}, \"label\": \"row {i}\"}}"))
            .ToArray();

        await Store.AppendAsync([To("s", spaced)]);
        await Store.AppendAsync([To("t", bulk)]);
        var stored = await Store.ReadAll();

        Assert.Equal("{\"a\":{\"b\":null,\"y\":true},\"z\":[1,2.50,\"A\"]}", stored[0].Data);
        Assert.All(stored.Skip(1).Zip(bulk), p => Assert.Equal(Domain.Contracts.CanonicalJson.Canonicalize(p.Second.Data), p.First.Data));
        Assert.All(stored, e => Assert.True(Domain.Contracts.CanonicalJson.IsCanonical(e.Data), e.Data));
        Assert.All(stored, e => Assert.Equal(e.Hash, EventHash.Compute(e)));
    }

    [Fact]
    public async Task Each_event_chains_to_its_predecessor_in_the_stream()
    {
        await Store.AppendAsync([To("a", Events(2)), To("b", Events(1))]);
        await Store.AppendAsync([To("a", Events(2))]);

        var a = await Store.ReadStream("a");
        var b = await Store.ReadStream("b");

        Assert.Equal(EventHash.Genesis, a[0].PreviousHash);
        Assert.Equal(EventHash.Genesis, b[0].PreviousHash);
        Assert.Equal(a.Take(3).Select(e => e.Hash), a.Skip(1).Select(e => e.PreviousHash));
        Assert.All(a.Concat(b), e => Assert.Equal(EventHash.Compute(e), e.Hash));
        Assert.Equal(a.Concat(b).Count(), a.Concat(b).Select(e => e.Hash).Distinct().Count());
    }

    [Fact]
    public async Task The_same_events_hash_the_same_as_in_the_embedded_store()
    {
        var scenario = new[]
        {
            new[] { To("dyad-RUS-TUR", Event("one", Guid.Parse("6a4d7a1e-0000-4000-8000-000000000001"))), To("dyad-TUR-UKR", Event("two", Guid.Parse("6a4d7a1e-0000-4000-8000-000000000002"))) },
            new[] { To("dyad-RUS-TUR", Event("three", Guid.Parse("6a4d7a1e-0000-4000-8000-000000000003"))) },
        };
        var path = Path.Combine(TestFolders.Create("ledger-reference-").FullName, "ledger.db");
        var referenceClock = new FakeTimeProvider(Clock.GetUtcNow());
        try
        {
            await using var reference = await SqliteLedgerStore.OpenAsync(path, referenceClock);
            foreach (var appends in scenario)
            {
                await Store.AppendAsync(appends);
                await reference.AppendAsync(appends);
                Clock.Advance(TimeSpan.FromMilliseconds(1.234));
                referenceClock.Advance(TimeSpan.FromMilliseconds(1.234));
            }

            Assert.Equal(
                (await reference.ReadAll()).Select(e => (e.EventId, e.StreamVersion, e.Hash)).OrderBy(e => e.EventId),
                (await Store.ReadAll()).Select(e => (e.EventId, e.StreamVersion, e.Hash)).OrderBy(e => e.EventId));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Importing_a_copied_ledger_keeps_ids_versions_times_hashes_and_order()
    {
        var sourceClock = new FakeTimeProvider(Clock.GetUtcNow().AddYears(-1));
        await using var source = await SqliteLedgerStore.OpenAsync(TempLedger.NewPath(), sourceClock);
        foreach (var appends in new[] { new[] { To("a", Events(2)), To("b", Events(1)) }, [To("a", Events(1))], [To("c", Events(2)), To("b", Events(2))] })
        {
            await source.AppendAsync(appends);
            sourceClock.Advance(TimeSpan.FromMinutes(5));
        }

        var original = await source.ReadAll();
        await Store.ImportAsync(original.Take(3).ToArray());
        await Store.ImportAsync(original.Skip(3).ToArray());
        var copied = await Store.ReadAll();

        Assert.Equal(
            original.Select(e => (e.EventId, e.StreamId, e.StreamVersion, e.Type, e.RecordedAt, e.PreviousHash, e.Hash)),
            copied.Select(e => (e.EventId, e.StreamId, e.StreamVersion, e.Type, e.RecordedAt, e.PreviousHash, e.Hash)));
        Assert.True(copied.Zip(copied.Skip(1)).All(p => p.First.Position < p.Second.Position));
        var next = await Store.AppendAsync([To("a", ExpectedVersion.Exactly(3), Event())]);
        Assert.Equal(original.Single(e => e is { StreamId: "a", StreamVersion: 3 }).Hash, (await Store.FindEventAsync(next.Single().EventId))!.PreviousHash);
    }

    [Fact]
    public async Task An_import_that_does_not_continue_a_chain_writes_nothing_of_its_batch()
    {
        await using var source = await SqliteLedgerStore.OpenAsync(TempLedger.NewPath(), Clock);
        await source.AppendAsync([To("a", Events(3)), To("b", Events(1))]);
        var original = await source.ReadAll();

        var skipped = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ImportAsync([original[3], original[0], original[2]]));
        var altered = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ImportAsync([original[0] with { Data = """{"text":"forged"}""" }]));

        Assert.Contains("version 3", skipped.Message);
        Assert.Contains("altered", altered.Message);
        Assert.Empty(await Store.ReadAll());
    }

    [Fact]
    public async Task Of_concurrent_appends_at_the_same_expected_version_exactly_one_wins()
    {
        await Store.AppendAsync([To("s", ExpectedVersion.NoStream, Event())]);

        var attempts = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(async () =>
            {
                try
                {
                    await Store.AppendAsync([To("s", ExpectedVersion.Exactly(1), Event())]);
                    return true;
                }
                catch (WrongExpectedVersionException)
                {
                    return false;
                }
            }))
            .ToArray();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(2, (await Store.ReadStream("s")).Count);
    }

    [Fact]
    public async Task A_malformed_request_is_refused_before_anything_is_written()
    {
        var e = Event();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync([To("a", e), To("a", Event())]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync([To("a", e), To("b", e)]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync([To(" ", Event())]));
        Assert.Empty(await Store.ReadAll());
    }

    [Fact]
    public async Task Every_append_adds_one_leaf_per_event_in_global_order()
    {
        await Store.AppendAsync([To("a", Events(2)), To("b", Events(3))]);
        await Store.AppendAsync([To("a", Event())]);
        await Store.AppendAsync([To("c", Events(4)), To("a", Events(2))]);

        var events = await Store.ReadAll();
        var leaves = await Store.Log.ReadLeavesAsync().ToListAsync();

        Assert.Equal(events.Count, await Store.Log.GetSizeAsync());
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), leaves.Select(l => l.Index));
        Assert.Equal(events.Select(e => (e.Position, e.StreamId, e.StreamVersion, e.Hash)), leaves.Select(l => (l.Position, l.StreamId, l.StreamVersion, l.EventHash)));
        Assert.All(leaves, l => Assert.Equal(l.Leaf.Hash(), l.LeafHash));
        Assert.Equal(Frontier(events).Root(), (await MerkleLog.HeadAsync(Store.Log)).Root);
        var found = await Store.Log.FindLeafAsync(events[3].Position);
        Assert.Equal(leaves[3].Index, found!.Index);
        Assert.Equal(leaves[3].LeafHash, found.LeafHash);
        Assert.Null(await Store.Log.FindLeafAsync(events[^1].Position + 1000));
    }

    [Fact]
    public async Task The_stored_log_gives_roots_and_proofs_for_every_past_size()
    {
        for (var i = 0; i < 11; i++)
        {
            await Store.AppendAsync([To($"s{i % 3}", Events(1 + i % 2))]);
        }

        var events = await Store.ReadAll();
        var n = events.Count;
        for (var size = 0; size <= n; size++)
        {
            var root = Frontier(events.Take(size)).Root();
            Assert.Equal(root, await MerkleLog.RootAsync(Store.Log, size));
            for (var index = 0; index < size; index++)
            {
                var proof = await MerkleLog.InclusionProofAsync(Store.Log, index, size);
                Assert.True(MerkleProofs.VerifyInclusion(index, size, LedgerLeaf.Of(events[index]).Hash(), proof, root));
            }

            var consistency = await MerkleLog.ConsistencyProofAsync(Store.Log, size, n);
            Assert.True(MerkleProofs.VerifyConsistency(size, n, root, Frontier(events).Root(), consistency));
        }
    }

    /// <summary>
    /// ADR 29: the store keeps the leaves and the inner nodes from level 4 up, and the lower ones computed from the
    /// leaves give the same roots and proofs as a tree computed here from the leaf hashes alone. The appends are of
    /// uneven sizes, so that they resume from frontiers with every mix of computed low subtrees.
    /// </summary>
    [Fact]
    public async Task Roots_and_proofs_from_the_stored_nodes_from_level_four_up_are_those_of_the_whole_tree()
    {
        int[] batches = [1, 2, 3, 5, 8, 13, 21];
        for (var (total, i) = (0, 0); total < 1000; i++)
        {
            var count = Math.Min(batches[i % batches.Length], 1000 - total);
            await Store.AppendAsync([To($"s{i % 3}", Events(count, $"batch{i}"))]);
            total += count;
        }

        var leaves = (await Store.ReadAll()).Select(e => LedgerLeaf.Of(e).Hash()).ToList();
        Assert.Equal(1000, leaves.Count);
        var tree = new WholeTree(leaves);
        var stored = await Store.Log.ReadNodesAsync(
            [.. Enumerable.Range(1, 4).SelectMany(level => Enumerable.Range(0, 1000 >> level).Select(index => new NodeId(level, index)))]);
        Assert.Equal(Enumerable.Range(0, 1000 >> 4).Select(index => new NodeId(4, index)), stored.Keys.OrderBy(id => id.Level).ThenBy(id => id.Index));
        Assert.All(stored, node => Assert.Equal(tree.Mth(node.Key.FirstLeaf, node.Key.Width), node.Value));

        int[] sizes = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 999, 1000];
        foreach (var size in sizes)
        {
            Assert.Equal(tree.Mth(0, size), await MerkleLog.RootAsync(Store.Log, size));
            foreach (var index in Enumerable.Range(0, size).Where(index => size <= 65 || index % 37 == 0 || index >= size - 17))
            {
                Assert.Equal(tree.Path(index, 0, size), await MerkleLog.InclusionProofAsync(Store.Log, index, size));
            }

            foreach (var second in sizes.Where(second => second >= size))
            {
                Assert.Equal(tree.Proof(size, 0, second, true), await MerkleLog.ConsistencyProofAsync(Store.Log, size, second));
            }
        }
    }

    [Fact]
    public async Task Every_event_is_proved_at_every_size_that_holds_it_and_sizes_without_it_are_refused()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.AppendAsync([To($"s{i % 3}", Events(1 + i % 2))]);
        }

        var events = await Store.ReadAll();
        var n = events.Count;
        for (var index = 0; index < n; index++)
        {
            for (var size = index + 1; size <= n; size++)
            {
                var proof = await EventProofs.ProveAsync(Store, events[index].EventId, size);
                var root = Frontier(events.Take(size)).Root();
                Assert.Equal((index, size), (proof.LeafIndex, proof.TreeSize));
                Assert.Equal(root, proof.Root);
                Assert.True(proof.EventHashHolds);
                Assert.True(proof.VerifiesAgainst(root), $"event {index} at size {size}");
                Assert.False(proof.VerifiesAgainst(Frontier(events.Take(size - 1)).Root()), $"event {index} at size {size} against the root of {size - 1}");
            }

            var early = await Assert.ThrowsAsync<ProofUnavailableException>(() => EventProofs.ProveAsync(Store, events[index].EventId, index));
            Assert.Equal(index == 0 ? ProofFailure.OutOfRange : ProofFailure.RecordedLater, early.Failure);
        }

        Assert.Equal(n, (await EventProofs.ProveAsync(Store, events[0].EventId)).TreeSize);
        Assert.Equal(ProofFailure.OutOfRange, (await Assert.ThrowsAsync<ProofUnavailableException>(() => EventProofs.ProveAsync(Store, events[0].EventId, n + 1))).Failure);
        Assert.Equal(ProofFailure.NotFound, (await Assert.ThrowsAsync<ProofUnavailableException>(() => EventProofs.ProveAsync(Store, Guid.NewGuid(), n))).Failure);
    }

    [Fact]
    public async Task An_import_extends_the_log_at_this_stores_positions()
    {
        await using var source = await SqliteLedgerStore.OpenAsync(TempLedger.NewPath(), Clock);
        await source.AppendAsync([To("a", Events(3)), To("b", Events(2))]);
        var original = await source.ReadAll();

        await Store.ImportAsync(original.Take(2).ToArray());
        await Store.ImportAsync(original.Skip(2).ToArray());

        var copied = await Store.ReadAll();
        Assert.Equal(copied.Count, await Store.Log.GetSizeAsync());
        Assert.Equal(Frontier(copied).Root(), (await MerkleLog.HeadAsync(Store.Log)).Root);
        Assert.Equal((await MerkleLog.HeadAsync(source.Log)).RootHex, (await MerkleLog.HeadAsync(Store.Log)).RootHex);
    }

    [Fact]
    public async Task A_refused_append_adds_nothing_to_the_log()
    {
        await Store.AppendAsync([To("a", ExpectedVersion.NoStream, Event())]);
        var before = await MerkleLog.HeadAsync(Store.Log);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync([To("b", Events(2)), To("a", ExpectedVersion.NoStream, Event())]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendAsync([To("b", Events(2))], (_, _) => throw new InvalidOperationException("refused")));

        var after = await MerkleLog.HeadAsync(Store.Log);
        Assert.Equal((before.Size, before.RootHex), (after.Size, after.RootHex));
        Assert.Single(await Store.ReadAll());
    }

    [Fact]
    public async Task A_precondition_reads_the_streams_inside_the_append()
    {
        await Store.AppendAsync([To("a", Events(2))]);
        List<StoredEvent>? seen = null;

        await Store.AppendAsync([To("a", Event())], async (ledger, ct) => seen = await ledger.ReadStreamAsync("a", ct).ToListAsync(ct));

        Assert.Equal([1L, 2L], seen!.Select(e => e.StreamVersion));
        Assert.Equal(3, (await Store.ReadStream("a")).Count);
    }

    /// <summary>
    /// RFC 9162's MTH, PATH and PROOF as their recursive definitions over the leaf hashes, with SHA-256 called here: a
    /// computation of the whole tree independent of the library's frontier, stored nodes and proofs.
    /// </summary>
    private sealed class WholeTree(IReadOnlyList<byte[]> leafHashes)
    {
        public byte[] Mth(long start, long n)
        {
            if (n == 1)
            {
                return leafHashes[(int)start];
            }

            var k = Split(n);
            return System.Security.Cryptography.SHA256.HashData([0x01, .. Mth(start, k), .. Mth(start + k, n - k)]);
        }

        public List<byte[]> Path(long m, long start, long n)
        {
            if (n == 1)
            {
                return [];
            }

            var k = Split(n);
            return m < k ? [.. Path(m, start, k), Mth(start + k, n - k)] : [.. Path(m - k, start + k, n - k), Mth(start, k)];
        }

        public List<byte[]> Proof(long m, long start, long n, bool whole)
        {
            if (m == n)
            {
                return whole ? [] : [Mth(start, n)];
            }

            var k = Split(n);
            return m <= k
                ? [.. Proof(m, start, k, whole), Mth(start + k, n - k)]
                : [.. Proof(m - k, start + k, n - k, false), Mth(start, k)];
        }

        private static long Split(long n)
        {
            long k = 1;
            while (k * 2 < n)
            {
                k *= 2;
            }

            return k;
        }
    }

    private static MerkleFrontier Frontier(IEnumerable<StoredEvent> events)
    {
        var frontier = new MerkleFrontier();
        foreach (var e in events)
        {
            frontier.Append(LedgerLeaf.Of(e).Hash());
        }

        return frontier;
    }
}
