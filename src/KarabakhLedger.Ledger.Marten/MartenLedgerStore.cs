using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using JasperFx;
using JasperFx.Events;
using KarabakhLedger.Ledger.Store;
using Marten;
using Marten.Services;
using Npgsql;

namespace KarabakhLedger.Ledger.Marten;

/// <summary>
/// The production ledger: PostgreSQL through Marten's event store, with string stream keys. Every ledger event is
/// one Marten event of type <see cref="LedgerEventRecord"/> whose Marten event id is the ledger's event id and
/// whose global sequence is the ledger position. The append rules are the shared <see cref="AppendPlan"/>, so this
/// store answers exactly as the embedded SQLite one does, hashes included.
/// </summary>
/// <remarks>
/// Each append is one transaction that first takes a transaction-scoped advisory lock belonging to the schema
/// (see <see cref="AppendLockKey"/>), before any sequence number is drawn. Appends therefore commit one at a time,
/// in position order, and a reader of <c>seq_id &gt; checkpoint</c> can never pass a position that a transaction
/// still in flight will commit later (docs/adr/0005-global-feed-ordering.md). Positions may skip numbers: a rolled
/// back append leaves a gap in the sequence.
/// </remarks>
public sealed partial class MartenLedgerStore : ILedgerStore
{
    private const int ReadPage = 512;

    private readonly NpgsqlDataSource _dataSource;
    private readonly DocumentStore _marten;
    private readonly TimeProvider _clock;
    private readonly ConnectionFailure _failure;
    private readonly long _appendLock;

    private MartenLedgerStore(NpgsqlDataSource dataSource, DocumentStore marten, TimeProvider clock, ConnectionFailure failure, string schema, string description, string connectionString)
    {
        ConnectionString = connectionString;
        _dataSource = dataSource;
        _marten = marten;
        _clock = clock;
        _failure = failure;
        _appendLock = AppendLockKey(schema);
        Schema = schema;
        Description = description;
    }

    /// <summary>The PostgreSQL schema that holds this ledger's Marten tables.</summary>
    public string Schema { get; }

    /// <summary>The connection string the ledger was opened with, for stores kept beside it (it may hold a password: never print it).</summary>
    public string ConnectionString { get; }

    public string Description { get; }

    /// <summary>
    /// Test hook: awaited inside every append transaction after its events are written and before it commits,
    /// so tests can hold a transaction open or make it fail and roll back.
    /// </summary>
    internal Func<Task>? BeforeCommit { get; set; }

    /// <summary>
    /// Opens the ledger kept in <paramref name="schema"/> of the database that <paramref name="connectionString"/>
    /// names, creating the schema and Marten's event tables on first use.
    /// </summary>
    /// <exception cref="LedgerStoreUnavailableException">the server cannot be reached, refuses the login, has no such
    /// database, or does not let the ledger create its tables; the message says which in one line.</exception>
    public static async Task<MartenLedgerStore> OpenAsync(
        string connectionString, TimeProvider clock, string schema = "ledger", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(clock);
        SchemaNames.Check(schema, nameof(schema));

        var target = ParseConnectionString(connectionString);
        var failure = new ConnectionFailure(target);
        var description = $"PostgreSQL ledger at {target.Host}:{target.Port}/{target.Database} (schema {schema})";
        var dataSource = NpgsqlDataSource.Create(target);
        DocumentStore? marten = null;
        try
        {
            // Reach the server and log in before Marten builds anything, so a refusal is Npgsql's own, first-hand.
            await using (await dataSource.OpenConnectionAsync(ct))
            {
            }

            marten = new DocumentStore(MartenOptions(dataSource, schema));
            await marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var store = new MartenLedgerStore(dataSource, marten, clock, failure, schema, description, target.ConnectionString);
            await store.CreateCopyTableAsync(ct);
            await store.CatchUpLogAsync(ct);
            return store;
        }
        catch (Exception e)
        {
            if (marten is not null)
            {
                await marten.DisposeAsync();
            }

            await dataSource.DisposeAsync();
            if (failure.Describe(e, opening: true) is { } unavailable)
            {
                throw unavailable;
            }

            throw;
        }
    }

    public Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken = default) =>
        AppendAsync(appends, null, cancellationToken);

    public async Task<IReadOnlyList<AppendedEvent>> AppendAsync(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition, CancellationToken cancellationToken = default)
    {
        AppendPlan.Validate(appends);
        return await Guard(() => TakesBulkPath(appends, precondition)
            ? BulkAppendAsync(appends, cancellationToken)
            : AppendInTransactionAsync(appends, precondition, cancellationToken));
    }

    public IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default) =>
        KeysetPages.ReadAsync(
            Math.Max(1, fromVersion),
            (from, ct) => ReadPageAsync(events => events.Where(e => e.StreamKey == streamId && e.Version >= from).OrderBy(e => e.Version), ct),
            e => e.StreamVersion + 1,
            ReadPage,
            cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default) =>
        KeysetPages.ReadAsync(
            afterPosition,
            (after, ct) => ReadPageAsync(events => events.Where(e => e.Sequence > after).OrderBy(e => e.Sequence), ct),
            e => e.Position,
            ReadPage,
            cancellationToken);

    public Task ImportAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockAppendsAsync(connection, transaction, cancellationToken);
            var log = await ResumeLogAsync(connection, transaction, cancellationToken);
            await using var session = _marten.LightweightSession(SessionOptions.ForTransaction(transaction));
            var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);

            // One save per run of consecutive events of one stream, so positions follow the given order.
            foreach (var run in Runs(events))
            {
                var streamId = run[0].StreamId;
                var head = heads.TryGetValue(streamId, out var known) ? known : await HeadAsync(session, streamId, cancellationToken);
                var built = new List<IEvent>(run.Count);
                foreach (var e in run)
                {
                    AppendPlan.CheckImport(e, head);
                    built.Add(ToMartenEvent(session, e));
                    head = new StreamHead(e.StreamVersion, e.Hash);
                }

                heads[streamId] = head;
                session.Events.Append(streamId, built.Cast<object>().ToArray());
                await session.SaveChangesAsync(cancellationToken);
                for (var i = 0; i < run.Count; i++)
                {
                    log.Add(run[i] with { Position = built[i].Sequence });
                }
            }

            await WriteLogAsync(connection, transaction, log, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            // A bulk copy into a fresh schema outruns autovacuum's statistics, and the planner then scans whole
            // tables for every head and id lookup of the next batch (docs/benchmarks.md).
            await using var analyze = new NpgsqlCommand($"ANALYZE {Schema}.mt_events, {Schema}.mt_streams", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
            return true;
        });

    public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var session = _marten.QuerySession();
            var last = await LedgerEvents(session).OrderByDescending(e => e.Sequence).Take(1).ToListAsync(cancellationToken);
            return last.Count == 0 ? 0 : last[0].Sequence;
        });

    public Task<StoredEvent?> FindEventAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await using var session = _marten.QuerySession();
            var found = await LedgerEvents(session).Where(e => e.Id == eventId).ToListAsync(cancellationToken);
            return found.Select(ToStored).SingleOrDefault();
        });

    public async ValueTask DisposeAsync()
    {
        await _marten.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    /// <summary>
    /// The advisory lock key that serializes the appends of the ledger in <paramref name="schema"/>: the first 8
    /// bytes of SHA-256 over <c>karabakh-ledger/appends/</c> and the schema name. Each schema has its own Marten
    /// sequence, so ledgers in different schemas need not wait for each other.
    /// </summary>
    internal static long AppendLockKey(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"karabakh-ledger/appends/{schema}")));

    private async Task<IReadOnlyList<AppendedEvent>> AppendInTransactionAsync(IReadOnlyList<StreamAppend> appends, AppendPrecondition? precondition, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await LockAppendsAsync(connection, transaction, cancellationToken);
        var log = await ResumeLogAsync(connection, transaction, cancellationToken);

        await using var session = _marten.LightweightSession(SessionOptions.ForTransaction(transaction));
        if (precondition is not null)
        {
            await precondition(new Snapshot(session), cancellationToken);
        }

        var ids = appends.SelectMany(a => a.Events).Select(e => e.EventId).ToArray();
        var stored = (await LedgerEvents(session).Where(e => ids.Contains(e.Id)).ToListAsync(cancellationToken))
            .Select(ToStored)
            .ToDictionary(e => e.EventId);
        var now = _clock.GetUtcNow();
        var decided = new List<(IReadOnlyList<StoredEvent> Existing, IReadOnlyList<(PlannedWrite Write, IEvent Event)> Writes)>();
        foreach (var append in appends)
        {
            var (existing, writes) = AppendPlan.Decide(append, await HeadAsync(session, append.StreamId, cancellationToken), stored, now);
            var events = writes.Select(w => (Write: w, Event: ToMartenEvent(session, w))).ToList();
            if (events.Count > 0)
            {
                // No expected version for Marten: the shared rules have checked it above, under the lock. Marten's
                // own versions are compared with ours once it has written the events.
                session.Events.Append(append.StreamId, events.Select(e => (object)e.Event).ToArray());
            }

            decided.Add((existing, events));
        }

        await session.SaveChangesAsync(cancellationToken);
        var results = new List<AppendedEvent>();
        foreach (var (existing, writes) in decided)
        {
            results.AddRange(existing.Select(e => new AppendedEvent(e.EventId, e.StreamId, e.StreamVersion, e.Position, AppendStatus.AlreadyAppended, e.Hash)));
            foreach (var (write, e) in writes)
            {
                if (e.Version != write.StreamVersion || e.Sequence <= 0)
                {
                    throw new InvalidOperationException(
                        $"Marten put event {write.Event.EventId} at version {e.Version} (sequence {e.Sequence}) of '{write.Append.StreamId}', not at version {write.StreamVersion}: something wrote to the stream without going through the ledger.");
                }

                results.Add(new AppendedEvent(write.Event.EventId, write.Append.StreamId, write.StreamVersion, e.Sequence, AppendStatus.Appended, write.Hash));
            }
        }

        foreach (var appended in results.Where(r => r.Status == AppendStatus.Appended).OrderBy(r => r.Position))
        {
            log.Add(appended.Position, appended.StreamId, appended.StreamVersion, appended.EventId, appended.Hash);
        }

        await WriteLogAsync(connection, transaction, log, cancellationToken);
        if (BeforeCommit is { } hook)
        {
            await hook();
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>Reads through the append's own session, inside its transaction and after its lock.</summary>
    private sealed class Snapshot(IQuerySession session) : IAppendSnapshot
    {
        public async IAsyncEnumerable<StoredEvent> ReadStreamAsync(string streamId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var events = await LedgerEvents(session).Where(e => e.StreamKey == streamId).OrderBy(e => e.Version).ToListAsync(cancellationToken);
            foreach (var e in events)
            {
                yield return ToStored(e);
            }
        }
    }

    /// <summary>Takes the schema's append lock, first, before anything reads a stream head or draws a sequence number; held until commit or rollback.</summary>
    private async Task LockAppendsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction);
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = _appendLock });
        await lockCommand.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IEnumerable<List<StoredEvent>> Runs(IReadOnlyList<StoredEvent> events)
    {
        var run = new List<StoredEvent>();
        foreach (var e in events)
        {
            if (run.Count > 0 && run[0].StreamId != e.StreamId)
            {
                yield return run;
                run = [];
            }

            run.Add(e);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private static async Task<StreamHead> HeadAsync(IQuerySession session, string streamId, CancellationToken cancellationToken)
    {
        var last = await LedgerEvents(session)
            .Where(e => e.StreamKey == streamId)
            .OrderByDescending(e => e.Version)
            .Take(1)
            .ToListAsync(cancellationToken);
        return last.Count == 0
            ? new StreamHead(0, EventHash.Genesis)
            : new StreamHead(last[0].Version, ((LedgerEventRecord)last[0].Data).Hash);
    }

    private static IEvent ToMartenEvent(IDocumentSession session, PlannedWrite write) =>
        ToMartenEvent(session, new StoredEvent(
            0, write.Append.StreamId, write.StreamVersion, write.Event.EventId, write.Event.Type, write.Event.SchemaVersion,
            write.Data, write.RecordedAt, write.PreviousHash, write.Hash));

    private static IEvent ToMartenEvent(IDocumentSession session, StoredEvent stored)
    {
        var e = session.Events.BuildEvent(new LedgerEventRecord
        {
            Type = stored.Type,
            SchemaVersion = stored.SchemaVersion,
            Data = stored.Data,
            RecordedAt = stored.RecordedAt,
            PreviousHash = stored.PreviousHash,
            Hash = stored.Hash,
        });
        e.Id = stored.EventId;
        e.Timestamp = stored.RecordedAt;
        return e;
    }

    private Task<List<StoredEvent>> ReadPageAsync(Func<IQueryable<IEvent>, IQueryable<IEvent>> query, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var session = _marten.QuerySession();
            var page = await query(LedgerEvents(session)).Take(ReadPage).ToListAsync(cancellationToken);
            return page.Select(ToStored).ToList();
        });

    /// <summary>The ledger's events among Marten's: without the tombstones Marten may write to fill sequence gaps.</summary>
    private static IQueryable<IEvent> LedgerEvents(IQuerySession session) =>
        session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == LedgerEventRecord.Alias);

    private static StoredEvent ToStored(IEvent e)
    {
        var record = (LedgerEventRecord)e.Data;
        return new StoredEvent(
            e.Sequence, e.StreamKey!, e.Version, e.Id, record.Type, record.SchemaVersion, record.Data,
            record.RecordedAt.ToUniversalTime(), record.PreviousHash, record.Hash);
    }

    private async Task<T> Guard<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (_failure.Describe(e, opening: false) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private static StoreOptions MartenOptions(NpgsqlDataSource dataSource, string schema)
    {
        var options = new StoreOptions();
        options.Connection(dataSource);
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        options.Events.EnableUniqueIndexOnEventId = true;
        options.Events.MapEventType<LedgerEventRecord>(LedgerEventRecord.Alias);
        options.UseSystemTextJsonForSerialization();
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        return options;
    }

    private static NpgsqlConnectionStringBuilder ParseConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder target;
        try
        {
            target = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new LedgerStoreUnavailableException($"The PostgreSQL connection string is not valid: {e.Message}", e);
        }

        if (string.IsNullOrEmpty(target.Host))
        {
            throw new LedgerStoreUnavailableException("The PostgreSQL connection string names no Host.");
        }

        if (string.IsNullOrEmpty(target.ApplicationName))
        {
            target.ApplicationName = "karabakh-ledger";
        }

        // Every append and audit runs the same few statements: prepared on each connection after their second use, they
        // skip the planner, which took about as long as running them (docs/benchmarks.md, "Merkle log"). A connection
        // string with a Max Auto Prepare of its own keeps it.
        if (target.MaxAutoPrepare == 0)
        {
            target.MaxAutoPrepare = 64;
            target.AutoPrepareMinUsages = 2;
        }

        return target;
    }
}
