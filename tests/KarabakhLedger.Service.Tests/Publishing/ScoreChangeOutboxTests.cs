using System.Collections.Concurrent;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Service.Publishing;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using KarabakhLedger.Stores;
using KarabakhLedger.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Wolverine;

namespace KarabakhLedger.Service.Tests.Publishing;

/// <summary>What one node's Wolverine handler of <see cref="RelationshipScoreChanged"/> was given, in order.</summary>
public sealed class ReceivedScoreChanges
{
    private readonly ConcurrentQueue<RelationshipScoreChanged> _messages = new();

    public IReadOnlyList<RelationshipScoreChanged> Messages => [.. _messages];

    public void Add(RelationshipScoreChanged message) => _messages.Enqueue(message);
}

/// <summary>Hands every <see cref="RelationshipScoreChanged"/> to the node's <see cref="ReceivedScoreChanges"/>.</summary>
public static class ReceivedScoreChangesHandler
{
    public static void Handle(RelationshipScoreChanged message, ReceivedScoreChanges received) => received.Add(message);
}

/// <summary>
/// The Wolverine outbox of score changes: every change is delivered once, across a node's restart (SQLite) and across
/// two nodes publishing from one PostgreSQL ledger and message database.
/// </summary>
public sealed class ScoreChangeOutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static Action<WolverineOptions> Handling(ReceivedScoreChanges received, DurabilityMode? mode = null) => opts =>
    {
        opts.Discovery.IncludeType(typeof(ReceivedScoreChangesHandler));
        opts.Services.AddSingleton(received);
        if (mode is { } chosen)
        {
            opts.Durability.Mode = chosen;
        }
    };

    private static Task<long> StartedAsync(ServiceNode node, CancellationToken cancellationToken) =>
        node.Services.GetServices<IHostedService>().OfType<ScoreChangeOutbox>().Single().Started.WaitAsync(cancellationToken);

    private static async Task<long> RecordAsync(ServiceNode node, string body, CancellationToken cancellationToken)
    {
        var answer = await node.As(LedgerRoles.Analyst).PostAsync("/api/interactions", Bodies.Json(body), cancellationToken);
        answer.EnsureSuccessStatusCode();
        return (await answer.ReadJsonAsync()).GetProperty("events")[0].GetProperty("position").GetInt64();
    }

    /// <summary>
    /// Waits until the change of every position has arrived, then records one more interaction on a dyad of its own
    /// (the sentinel) and waits for its change too. Publication is claimed one node at a time and goes in position
    /// order, so a duplicate of an earlier change would have been published before the sentinel's: the barrier that
    /// says "no duplicate is coming", instead of a sleep. Returns everything received, without the sentinel's change.
    /// </summary>
    private static async Task<IReadOnlyList<RelationshipScoreChanged>> ReceiveAsync(
        Func<IReadOnlyList<RelationshipScoreChanged>> received, IReadOnlyCollection<long> positions, ServiceNode sentinelNode, CancellationToken cancellationToken)
    {
        await UntilAsync(() => positions.All(p => received().Any(m => m.Position == p)), cancellationToken);
        var sentinel = await RecordAsync(sentinelNode, Bodies.Interaction("EST", "LVA"), cancellationToken);
        await UntilAsync(() => received().Any(m => m.Position == sentinel), cancellationToken);
        var all = received();
        Assert.Single(all, m => m.Position == sentinel);
        return [.. all.Where(m => m.Position != sentinel)];
    }

    private static async Task UntilAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        while (!done())
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task After_a_restart_a_node_publishes_exactly_the_changes_appended_while_it_was_down()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var path = Path.Combine(TestFolders.Create("ledger-outbox-").FullName, "ledger.db");
        var before = new ReceivedScoreChanges();
        long[] first;
        long published;
        await using (var node = await ServiceNode.StartAsync(path, wolverine: Handling(before)))
        {
            await StartedAsync(node, timeout.Token);
            first = [await RecordAsync(node, Bodies.Interaction("ARM", "FRA"), timeout.Token), await RecordAsync(node, Bodies.Interaction("ARM", "FRA"), timeout.Token)];
            Assert.Equal(first, (await ReceiveAsync(() => before.Messages, first, node, timeout.Token)).Select(m => m.Position));
            published = before.Messages.Max(m => m.Position);
        }

        var whileDown = new List<long>();
        await using (var store = await SqliteLedgerStore.OpenAsync(path, TimeProvider.System))
        {
            var recorder = new LedgerRecorder(store, EventSerializer.Default, TimeProvider.System);
            foreach (var body in new[] { Bodies.Interaction("ARM", "FRA"), Bodies.Interaction("ARM", "IRN"), Bodies.Interaction("ARM", "FRA") })
            {
                var items = await recorder.RecordAsync(RecordingParser.ParseBatch($"[{body}]", ActorRegistry.Default), cancellationToken: timeout.Token);
                whileDown.Add(items.Single().Events.Single().Position);
            }
        }

        var after = new ReceivedScoreChanges();
        await using (var node = await ServiceNode.StartAsync(path, wolverine: Handling(after)))
        {
            Assert.Equal(published, await StartedAsync(node, timeout.Token));
            var received = await ReceiveAsync(() => after.Messages, whileDown, node, timeout.Token);

            Assert.Equal(whileDown, received.Select(m => m.Position));
            Assert.Equal([3, 1, 4], received.Select(m => m.Events));
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Without_a_handler_the_published_position_follows_the_ledger_and_no_message_is_stored()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var path = Path.Combine(TestFolders.Create("ledger-outbox-").FullName, "ledger.db");
        await using var node = await ServiceNode.StartAsync(path);
        await StartedAsync(node, timeout.Token);

        await RecordAsync(node, Bodies.Interaction("ARM", "FRA"), timeout.Token);
        var last = await RecordAsync(node, Bodies.Interaction("ARM", "IRN"), timeout.Token);

        await using var messages = new SqliteConnection($"Data Source={new SqliteLedgerLocation(path).MessagesPath};Pooling=False");
        await messages.OpenAsync(timeout.Token);
        async Task<long> Scalar(string sql)
        {
            await using var command = new SqliteCommand(sql, messages);
            return Convert.ToInt64(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture);
        }

        while (await Scalar("select coalesce(max(position), 0) from ledger_outbox_checkpoint") != last)
        {
            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal(0, await Scalar("select count(*) from wolverine_incoming_envelopes"));
    }

    [Fact(Timeout = 240_000)]
    public async Task Two_nodes_on_one_PostgreSQL_ledger_deliver_each_change_once_between_them_in_order()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var connectionString = (await PostgresServer.GetAsync()).ConnectionString;
        var schema = $"t_{Guid.NewGuid():N}";
        var receivedA = new ReceivedScoreChanges();
        var receivedB = new ReceivedScoreChanges();
        try
        {
            // Two nodes share the ledger and the message database; each keeps its projections apart (two clusters of one).
            KeyValuePair<string, string?>[] Settings(string node) =>
                [new("Ledger:StoreSchema", schema), new("Ledger:ProjectionSchema", $"{schema}_{node}")];
            await using var a = await ServiceNode.StartAsync(connectionString, Settings("a"), Handling(receivedA, DurabilityMode.Balanced));
            await using var b = await ServiceNode.StartAsync(connectionString, Settings("b"), Handling(receivedB, DurabilityMode.Balanced));
            await Task.WhenAll(StartedAsync(a, timeout.Token), StartedAsync(b, timeout.Token));

            var appends = Enumerable.Range(0, 40).Select(i => RecordAsync(
                i % 2 == 0 ? a : b,
                Bodies.Interaction("GEO", i % 3 == 0 ? "RUS" : "TUR"),
                timeout.Token));
            var positions = (await Task.WhenAll(appends)).Order().ToArray();
            var all = await ReceiveAsync(() => [.. receivedA.Messages, .. receivedB.Messages], positions, a, timeout.Token);

            Assert.Equal(positions, all.Select(m => m.Position).Order());
            Assert.Equal(receivedA.Messages.Select(m => m.Position).Order(), receivedA.Messages.Select(m => m.Position));
            Assert.Equal(receivedB.Messages.Select(m => m.Position).Order(), receivedB.Messages.Select(m => m.Position));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "_a", "_b", "_messages" })
            {
                await new ScratchSchema(connectionString, schema + suffix).DisposeAsync();
            }
        }
    }
}
