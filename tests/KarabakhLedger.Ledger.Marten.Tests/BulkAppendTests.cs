using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing.Contracts;
using KarabakhLedger.Ledger.Verification;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static KarabakhLedger.Testing.Contracts.TestEvents;

namespace KarabakhLedger.Ledger.Marten.Tests;

/// <summary>
/// The bulk append (COPY into Marten's tables) against Marten's own append: the same events give the same ledger,
/// row for row in Marten's tables, and every guarantee of the append holds.
/// </summary>
public sealed class BulkAppendTests
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero).AddTicks(4567891);

    /// <summary>Batches over many streams, some continuing streams of earlier batches, a repeat of an earlier batch, and a batch of old and new events mixed.</summary>
    private static List<StreamAppend[]> Batches()
    {
        var random = new Random(10);
        var streams = Enumerable.Range(0, 40).Select(i => $"dyad-S{i:00}-T{i % 7}").ToArray();
        var batches = new List<StreamAppend[]>();
        for (var b = 0; b < 6; b++)
        {
            batches.Add([.. Enumerable.Range(0, 200)
                .Select(i => (Stream: streams[(int)Math.Floor(Math.Pow(random.NextDouble(), 2) * streams.Length)], Event: Event($"batch {b} row {i} «ü»")))
                .GroupBy(x => x.Stream, StringComparer.Ordinal)
                .Select(g => To(g.Key, [.. g.Select(x => x.Event)]))]);
        }

        batches.Add(batches[2]);

        // Mixed: a stream with events already there and new ones, streams already there, and a new stream.
        batches.Add([To(batches[1][0].StreamId, [.. batches[1][0].Events, .. Events(3)]), .. batches[1].Skip(1).Take(2), To("dyad-fresh", Events(70))]);
        return batches;
    }

    private static async Task<(ScratchLedgerStore Store, List<IReadOnlyList<AppendedEvent>> Results)> Fill(int bulkThreshold, IEnumerable<StreamAppend[]> batches)
    {
        var clock = new FakeTimeProvider(Start);
        var store = await ScratchLedgerStore.OpenAsync(clock, bulkThreshold);
        var results = new List<IReadOnlyList<AppendedEvent>>();
        foreach (var batch in batches)
        {
            results.Add(await store.AppendAsync(batch));
            clock.Advance(TimeSpan.FromMilliseconds(1.2345));
        }

        return (store, results);
    }

    [Fact]
    public async Task The_bulk_path_writes_the_ledger_Marten_s_own_append_writes_row_for_row_and_it_verifies()
    {
        var batches = Batches();
        var (normal, normalResults) = await Fill(int.MaxValue, batches);
        var (bulk, bulkResults) = await Fill(1, batches);
        await using var n = normal;
        await using var b = bulk;

        Assert.Equal(normalResults.SelectMany(r => r), bulkResults.SelectMany(r => r));
        Assert.All(bulkResults[^2], r => Assert.Equal(AppendStatus.AlreadyAppended, r.Status));
        Assert.Equal(73, bulkResults[^1].Count(r => r.Status == AppendStatus.Appended));
        Assert.Equal(await normal.ReadAll(), await bulk.ReadAll());
        Assert.Equal(1_273, (await bulk.ReadAll()).Count);
        Assert.Equal(await Leaves(normal), await Leaves(bulk));
        Assert.Equal((await MerkleLog.HeadAsync(normal.Log)).RootHex, (await MerkleLog.HeadAsync(bulk.Log)).RootHex);
        Assert.Equal(await Rows(normal, EventsSql(normal)), await Rows(bulk, EventsSql(bulk)));
        Assert.Equal(await Rows(normal, StreamsSql(normal)), await Rows(bulk, StreamsSql(bulk)));
        await AssertVerifies(bulk, 1_273);
    }

    [Fact]
    public async Task Bulk_and_Marten_appends_interleaved_on_the_same_streams_keep_Marten_s_versions_and_one_chain()
    {
        var batches = Batches();
        var (normal, _) = await Fill(int.MaxValue, batches);
        await using var n = normal;
        var clock = new FakeTimeProvider(Start);
        await using var mixed = await ScratchLedgerStore.OpenAsync(clock, bulkThreshold: 1);
        for (var i = 0; i < batches.Count; i++)
        {
            // Odd batches through Marten's own append, even ones by COPY: each must find the streams where the other left them.
            mixed.Store.BulkThreshold = i % 2 == 0 ? 1 : int.MaxValue;
            await mixed.AppendAsync(batches[i]);
            clock.Advance(TimeSpan.FromMilliseconds(1.2345));
        }

        Assert.Equal(await normal.ReadAll(), await mixed.ReadAll());
        Assert.Equal(await Rows(normal, StreamsSql(normal)), await Rows(mixed, StreamsSql(mixed)));
        Assert.Equal(await Leaves(normal), await Leaves(mixed));
        await AssertVerifies(mixed, 1_273);
    }

    [Fact]
    public async Task A_refused_bulk_append_writes_nothing_not_even_its_good_streams()
    {
        await using var store = await ScratchLedgerStore.OpenAsync(new FakeTimeProvider(Start), bulkThreshold: 1);
        await store.AppendAsync([To("a", Events(3)), To("b", Events(2))]);
        var before = await Snapshot(store);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => store.AppendAsync(
            [To("c", Events(50)), To("a", ExpectedVersion.Exactly(3), Events(5)), To("b", ExpectedVersion.Exactly(1), Events(5))]));
        var taken = (await store.ReadStream("a"))[0];
        await Assert.ThrowsAsync<EventIdConflictException>(() => store.AppendAsync(
            [To("c", Events(50)), To("d", new EventToAppend(taken.EventId, taken.Type, taken.SchemaVersion, taken.Data))]));
        store.Store.BeforeCommit = () => throw new IOException("the disk is gone");
        await Assert.ThrowsAsync<IOException>(() => store.AppendAsync([To("c", Events(50))]));

        Assert.Equal(before, await Snapshot(store));
    }

    [Fact]
    public async Task A_stream_written_behind_the_ledger_s_back_refuses_the_bulk_append_and_nothing_is_written()
    {
        await using var store = await ScratchLedgerStore.OpenAsync(new FakeTimeProvider(Start), bulkThreshold: 1);
        await store.AppendAsync([To("a", Events(3))]);
        await Execute(store, $"UPDATE {store.Store.Schema}.mt_streams SET version = 7 WHERE id = 'a'");
        var before = await Snapshot(store);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendAsync([To("b", Events(5)), To("a", Events(5))]));

        Assert.Contains("without going through the ledger", refused.Message);
        Assert.Equal(before, await Snapshot(store));
    }

    private static async Task AssertVerifies(ScratchLedgerStore store, int events)
    {
        using var key = LedgerSigningKey.Create();
        var checkpoint = Checkpoint.Sign(await MerkleLog.HeadAsync(store.Log), Start, key);
        var chains = await ChainVerifier.VerifyAsync(store);
        var checkpointed = await CheckpointVerifier.VerifyAsync(store, checkpoint, key.Public);
        Assert.True(chains.Intact);
        Assert.Equal(events, chains.EventsChecked);
        Assert.True(checkpointed.Intact, checkpointed.Checkpoint?.FirstChange?.Detail ?? checkpointed.Checkpoint?.LogProblem);
    }

    private static async Task<string> Snapshot(ScratchLedgerStore store) =>
        string.Join('\n', await Rows(store, EventsSql(store))) + "\n--\n" + string.Join('\n', await Rows(store, StreamsSql(store))) +
        "\n--\n" + string.Join('\n', await Rows(store, $"SELECT leaf_index, position, encode(leaf_hash, 'hex') FROM {store.Store.Schema}.ledger_log_leaves ORDER BY leaf_index")) +
        "\n--\n" + string.Join('\n', await Rows(store, $"SELECT level, node_index, encode(hash, 'hex') FROM {store.Store.Schema}.ledger_log_nodes ORDER BY level, node_index"));

    private static async Task<List<string>> Leaves(ILedgerStore store)
    {
        var leaves = new List<string>();
        await foreach (var leaf in store.Log.ReadLeavesAsync())
        {
            leaves.Add($"{leaf.Index} {leaf.Position} {leaf.StreamId} {leaf.StreamVersion} {leaf.EventId} {leaf.EventHash} {Convert.ToHexString(leaf.LeafHash)}");
        }

        return leaves;
    }

    /// <summary>Every column of Marten's events table, as text.</summary>
    private static string EventsSql(ScratchLedgerStore store) =>
        $"SELECT seq_id, id, stream_id, version, data::text, type, timestamp, tenant_id, mt_dotnet_type, is_archived FROM {store.Store.Schema}.mt_events ORDER BY seq_id";

    /// <summary>Marten's streams table, but for its timestamps (the server's clock at each write).</summary>
    private static string StreamsSql(ScratchLedgerStore store) =>
        $"SELECT id, type, version, tenant_id, is_archived FROM {store.Store.Schema}.mt_streams ORDER BY id";

    private static async Task<List<string>> Rows(ScratchLedgerStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    private static async Task Execute(ScratchLedgerStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
