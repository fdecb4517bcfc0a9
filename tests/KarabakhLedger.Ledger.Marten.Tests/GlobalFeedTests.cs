using System.Collections.Concurrent;
using System.Diagnostics;
using JasperFx.Events;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;
using Marten;
using Marten.Services;
using Npgsql;
using Xunit.Abstractions;
using static KarabakhLedger.Testing.Contracts.TestEvents;

namespace KarabakhLedger.Ledger.Marten.Tests;

/// <summary>
/// The global feed under concurrent appenders: PostgreSQL sequences have gaps, and without the append lock a slow
/// transaction could commit a position below one a reader has already passed.
/// </summary>
public sealed class GlobalFeedTests(ITestOutputHelper output)
{
    private const int Appenders = 8;
    private const int AppendsPerAppender = 50;
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(30);

    /// <summary>What the append in progress on this async flow does just before it commits.</summary>
    private static readonly AsyncLocal<Func<Task>?> BeforeCommit = new();

    [Fact]
    public async Task A_reader_following_the_feed_under_concurrent_appends_sees_every_committed_event_once_in_order()
    {
        await using var ledger = await ScratchLedgerStore.OpenAsync(TimeProvider.System);
        ledger.Store.BeforeCommit = () => BeforeCommit.Value?.Invoke() ?? Task.CompletedTask;
        var committed = new ConcurrentDictionary<Guid, long>();
        var rolledBack = new ConcurrentBag<Guid>();
        var outcomes = new ConcurrentDictionary<string, int>();
        var follower = new FeedFollower();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        var reader = Task.Run(() => follower.FollowAsync(ledger, stop.Token));
        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(n => Task.Run(() => AppendManyAsync(ledger, n, committed, rolledBack, outcomes))))
            .WaitAsync(TimeSpan.FromMinutes(2));
        var appended = clock.Elapsed;
        var last = committed.Values.Max();
        var waited = Stopwatch.StartNew();
        while (follower.Checkpoint < last && waited.Elapsed < CatchUpLimit && !reader.IsCompleted)
        {
            await Task.Delay(10);
        }

        var caughtUp = waited.Elapsed;
        await stop.CancelAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        var seen = follower.Seen;
        output.WriteLine($"{committed.Count} events committed by {Appenders}×{AppendsPerAppender} appends in {appended.TotalSeconds:F2} s; " +
            $"the reader polled {follower.Polls} times meanwhile and caught up {caughtUp.TotalMilliseconds:F0} ms after the last append");
        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));

        Assert.True(follower.Checkpoint >= last, $"The reader did not reach position {last} within {CatchUpLimit.TotalSeconds} s (it is at {follower.Checkpoint}).");
        Assert.Equal(seen.Count, seen.Select(e => e.EventId).Distinct().Count());
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Position < p.Second.Position), "Positions must only grow.");
        Assert.Empty(rolledBack.Intersect(seen.Select(e => e.EventId)));
        var lost = committed.Keys.Except(seen.Select(e => e.EventId)).Count();
        Assert.True(lost == 0, $"{lost} of {committed.Count} committed events never reached the reader.");
        Assert.Equal(committed.OrderBy(c => c.Value).Select(c => c.Key), seen.Select(e => e.EventId));
        Assert.True(seen[^1].Position - seen[0].Position + 1 > seen.Count, "Rolled-back appends should have left gaps in the positions.");
        Assert.Equal(seen.Select(e => e.EventId), (await ledger.ReadAll()).Select(e => e.EventId));
        foreach (var stream in seen.GroupBy(e => e.StreamId))
        {
            var chain = stream.OrderBy(e => e.StreamVersion).ToList();
            Assert.Equal(Enumerable.Range(1, chain.Count).Select(v => (long)v), chain.Select(e => e.StreamVersion));
            Assert.Equal(chain.SkipLast(1).Select(e => e.Hash), chain.Skip(1).Select(e => e.PreviousHash));
            Assert.All(chain, e => Assert.Equal(EventHash.Compute(e), e.Hash));
        }
    }

    [Fact]
    public async Task A_held_append_keeps_later_appends_waiting_so_the_reader_never_passes_it()
    {
        await using var ledger = await ScratchLedgerStore.OpenAsync(TimeProvider.System);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ledger.Store.BeforeCommit = () => BeforeCommit.Value?.Invoke() ?? Task.CompletedTask;

        var slow = Task.Run(async () =>
        {
            BeforeCommit.Value = async () =>
            {
                inside.SetResult();
                await release.Task;
            };
            return await ledger.AppendAsync([To("slow", Event())]);
        });
        try
        {
            await inside.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var fast = Task.Run(() => ledger.AppendAsync([To("fast", Event())]));
            await WaitingForTheAppendLockAsync(ledger).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.False(fast.IsCompleted, "A later append must wait for the one in flight.");
            Assert.Empty(await ledger.ReadAll());

            release.SetResult();
            var slowPosition = (await slow.WaitAsync(TimeSpan.FromSeconds(10))).Single().Position;
            var fastPosition = (await fast.WaitAsync(TimeSpan.FromSeconds(10))).Single().Position;

            Assert.True(slowPosition < fastPosition);
            Assert.Equal([slowPosition, fastPosition], (await ledger.ReadAll()).Select(e => e.Position));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    /// <summary>
    /// Returns once PostgreSQL shows a session waiting for (not holding) this ledger's append lock: the barrier that
    /// says the later append is blocked by the held one, observed rather than assumed after a sleep.
    /// </summary>
    private static async Task WaitingForTheAppendLockAsync(ScratchLedgerStore ledger)
    {
        var key = MartenLedgerStore.AppendLockKey(ledger.SchemaName);
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = $1",
            connection)
        {
            Parameters = { new() { Value = key } },
        };
        while ((long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Why the lock is there: two plain Marten appends, the first held open after drawing its sequence number. A
    /// reader that trusts <c>seq &gt; checkpoint</c> passes the second and never sees the first.
    /// </summary>
    [Fact]
    public async Task Without_the_append_lock_a_reader_trusting_the_sequence_loses_a_slow_commit()
    {
        var server = await PostgresServer.GetAsync();
        await using var schema = server.NewSchema();
        await using var marten = DocumentStore.For(o =>
        {
            o.Connection(schema.ConnectionString);
            o.DatabaseSchemaName = schema.Name;
            o.Events.StreamIdentity = StreamIdentity.AsString;
            o.Events.AppendMode = EventAppendMode.Quick;
        });
        await marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var slowTransaction = await connection.BeginTransactionAsync();
        await using (var slow = marten.LightweightSession(SessionOptions.ForTransaction(slowTransaction)))
        {
            slow.Events.Append("slow", new Marker("slow"));
            await slow.SaveChangesAsync();
        }

        await using (var fast = marten.LightweightSession())
        {
            fast.Events.Append("fast", new Marker("fast"));
            await fast.SaveChangesAsync();
        }

        var firstRead = await ReadAfterAsync(marten, 0);
        var checkpoint = firstRead.Max(e => e.Sequence);
        await slowTransaction.CommitAsync();
        var secondRead = await ReadAfterAsync(marten, checkpoint);
        var everything = await ReadAfterAsync(marten, 0);

        Assert.Equal(["fast"], firstRead.Select(e => e.StreamKey));
        Assert.Empty(secondRead);
        Assert.Equal(["slow", "fast"], everything.Select(e => e.StreamKey));
    }

    private static async Task<IReadOnlyList<IEvent>> ReadAfterAsync(IDocumentStore marten, long checkpoint)
    {
        await using var session = marten.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.Sequence > checkpoint).OrderBy(e => e.Sequence).ToListAsync();
    }

    /// <summary>
    /// One appender: appends of 1–3 events to a handful of streams. Some expect a version they last saw (and
    /// conflict when another appender got there first), some fail on purpose after their events are written, and
    /// some hold their transaction open for a while before committing.
    /// </summary>
    private static async Task AppendManyAsync(
        ILedgerStore ledger, int appender, ConcurrentDictionary<Guid, long> committed, ConcurrentBag<Guid> rolledBack,
        ConcurrentDictionary<string, int> outcomes)
    {
        var random = new Random(appender);
        var known = new Dictionary<string, long>();
        for (var i = 0; i < AppendsPerAppender; i++)
        {
            var stream = $"dyad-{random.Next(5)}";
            var events = Events(1 + random.Next(3), $"appender {appender} append {i}");
            var expected = i % 3 == 0 ? ExpectedVersion.Exactly(known.GetValueOrDefault(stream)) : ExpectedVersion.Any;
            var fail = i % 7 == 3;
            var hold = i % 16 == 5 ? TimeSpan.FromMilliseconds(100 + random.Next(300)) : TimeSpan.Zero;
            BeforeCommit.Value = fail
                ? () => throw new InjectedFailure()
                : hold > TimeSpan.Zero ? () => Task.Delay(hold) : null;
            try
            {
                var result = await ledger.AppendAsync([To(stream, expected, events)]);
                foreach (var r in result)
                {
                    committed[r.EventId] = r.Position;
                }

                known[stream] = result[^1].StreamVersion;
                outcomes.AddOrUpdate(hold > TimeSpan.Zero ? "held" : "committed", 1, (_, n) => n + 1);
            }
            catch (WrongExpectedVersionException conflict)
            {
                known[stream] = conflict.Actual;
                Record(events, "conflict");
            }
            catch (InjectedFailure)
            {
                Record(events, "failed");
            }
        }

        void Record(EventToAppend[] events, string outcome)
        {
            foreach (var e in events)
            {
                rolledBack.Add(e.EventId);
            }

            outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        }
    }

    /// <summary>A subscriber of the global feed: reads on from its checkpoint, again and again, until told to stop.</summary>
    private sealed class FeedFollower
    {
        private long _checkpoint;

        /// <summary>Every event read, in the order read.</summary>
        public List<StoredEvent> Seen { get; } = [];

        /// <summary>The position of the last event read.</summary>
        public long Checkpoint => Interlocked.Read(ref _checkpoint);

        /// <summary>How many times the follower has read the feed to its current end.</summary>
        public int Polls { get; private set; }

        public async Task FollowAsync(ILedgerStore ledger, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await foreach (var e in ledger.ReadAllAsync(Checkpoint, CancellationToken.None))
                {
                    Assert.True(e.Position > Checkpoint, $"Position {e.Position} came after {Checkpoint}.");
                    Seen.Add(e);
                    Interlocked.Exchange(ref _checkpoint, e.Position);
                }

                Polls++;
                await Task.Delay(5, CancellationToken.None);
            }
        }
    }

    private sealed record Marker(string Name);

    private sealed class InjectedFailure() : Exception("Failed on purpose inside the append transaction.");
}
