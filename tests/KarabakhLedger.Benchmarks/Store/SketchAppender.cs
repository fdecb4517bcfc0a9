using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JasperFx;
using JasperFx.Events;
using KarabakhLedger.Ledger.Store;
using Marten;
using Marten.Services;
using Npgsql;

namespace KarabakhLedger.Benchmarks.Store;

/// <summary>
/// A sketch, not a store: what the port's append would cost if it asked for its stream heads and for the events it
/// may already hold in one round trip, together with the advisory lock, instead of one Marten LINQ query per
/// stream. Everything else is as in MartenLedgerStore: one transaction, the schema's advisory lock first, the hash
/// chain computed per event with <see cref="EventHash"/>, the events written by Marten with the ledger's ids. It
/// handles fresh events only (the benchmark never repeats one), so it measures cost, not correctness.
/// </summary>
internal sealed class SketchAppender : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DocumentStore _store;
    private readonly string _schema;
    private readonly long _lock;

    private SketchAppender(NpgsqlDataSource dataSource, DocumentStore store, string schema)
    {
        _dataSource = dataSource;
        _store = store;
        _schema = schema;
        _lock = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"karabakh-ledger/appends/{schema}")));
    }

    public static async Task<SketchAppender> OpenAsync(string connectionString, string schema)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var options = new StoreOptions();
        options.Connection(dataSource);
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        options.Events.EnableUniqueIndexOnEventId = true;
        options.Events.MapEventType<BenchRecord>(BenchRecord.Alias);
        options.UseSystemTextJsonForSerialization();
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        var store = new DocumentStore(options);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new SketchAppender(dataSource, store, schema);
    }

    /// <summary>Where the sketch's time went since the last <see cref="ResetPhases"/>: connect and begin, the lookup
    /// round trip, hashing and building the events, Marten's SaveChanges, and the commit.</summary>
    public PhaseTimes Phases { get; private set; } = new();

    public void ResetPhases() => Phases = new PhaseTimes();

    public async Task AppendAsync(Batch batch)
    {
        var phase = Stopwatch.StartNew();
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = batch.Appends.SelectMany(a => a.Events).Select(e => e.EventId).ToArray();
        var streams = batch.Appends.Select(a => a.StreamId).ToArray();
        var heads = new Dictionary<string, StreamHeadSketch>(StringComparer.Ordinal);
        Phases.Begin += phase.Elapsed;
        phase.Restart();

        // One round trip: the lock first, then (under it) the events already stored and every stream's head.
        await using (var lookup = new NpgsqlBatch(connection, transaction))
        {
            lookup.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new() { Value = _lock } } });
            lookup.BatchCommands.Add(new NpgsqlBatchCommand(
                $"SELECT seq_id, stream_id, version, id, data FROM {_schema}.mt_events WHERE id = ANY($1) AND type = '{BenchRecord.Alias}' AND is_archived = FALSE")
            {
                Parameters = { new() { Value = ids } },
            });
            lookup.BatchCommands.Add(new NpgsqlBatchCommand($"""
                SELECT h.stream_id, h.version, h.hash
                FROM unnest($1::text[]) AS s(id)
                CROSS JOIN LATERAL (
                    SELECT e.stream_id, e.version, e.data ->> 'hash' AS hash FROM {_schema}.mt_events e
                    WHERE e.stream_id = s.id AND e.type = '{BenchRecord.Alias}' AND e.is_archived = FALSE
                    ORDER BY e.version DESC LIMIT 1) AS h
                """)
            {
                Parameters = { new() { Value = streams } },
            });
            await using var reader = await lookup.ExecuteReaderAsync();
            await reader.NextResultAsync();
            if (await reader.ReadAsync())
            {
                throw new InvalidOperationException("The sketch handles fresh events only.");
            }

            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                heads[reader.GetString(0)] = new StreamHeadSketch(reader.GetInt64(1), reader.GetString(2));
            }
        }

        Phases.Lookup += phase.Elapsed;
        phase.Restart();
        var at = EventHash.Truncate(DateTimeOffset.UtcNow);
        var planned = new List<(IEvent Event, long Version)>(ids.Length);
        await using var session = _store.LightweightSession(SessionOptions.ForTransaction(transaction));
        foreach (var append in batch.Appends)
        {
            var head = heads.GetValueOrDefault(append.StreamId) ?? new StreamHeadSketch(0, EventHash.Genesis);
            var version = head.Version;
            var previous = head.Hash;
            var built = new object[append.Events.Count];
            for (var i = 0; i < built.Length; i++)
            {
                var e = append.Events[i];
                version++;
                var hash = EventHash.Compute(append.StreamId, version, e.EventId, e.Type, e.SchemaVersion, e.Data, at, previous);
                var martenEvent = session.Events.BuildEvent(new BenchRecord
                {
                    Type = e.Type, SchemaVersion = e.SchemaVersion, Data = e.Data, RecordedAt = at, PreviousHash = previous, Hash = hash,
                });
                martenEvent.Id = e.EventId;
                martenEvent.Timestamp = at;
                built[i] = martenEvent;
                planned.Add((martenEvent, version));
                previous = hash;
            }

            session.Events.Append(append.StreamId, built);
        }

        Phases.HashAndBuild += phase.Elapsed;
        phase.Restart();
        await session.SaveChangesAsync();
        Phases.Save += phase.Elapsed;
        phase.Restart();

        // As the port does: Marten's versions must be the ones the chain was computed for.
        foreach (var (e, version) in planned)
        {
            if (e.Version != version || e.Sequence <= 0)
            {
                throw new InvalidOperationException($"Marten put event {e.Id} at version {e.Version}, not {version}.");
            }
        }

        await transaction.CommitAsync();
        Phases.Commit += phase.Elapsed;
        Phases.Appends++;
    }

    /// <summary>Checks, untimed, that every event the sketch wrote chains to the one before it in its stream.</summary>
    public async Task VerifyChainAsync()
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT count(*) FILTER (WHERE previous IS DISTINCT FROM expected), count(*)
            FROM (SELECT data ->> 'previousHash' AS previous,
                         coalesce(lag(data ->> 'hash') OVER (PARTITION BY stream_id ORDER BY version), '{EventHash.Genesis}') AS expected
                  FROM {_schema}.mt_events WHERE type = '{BenchRecord.Alias}') AS chain
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (broken, total) = (reader.GetInt64(0), reader.GetInt64(1));
        if (broken > 0)
        {
            throw new InvalidOperationException($"The sketch broke the hash chain at {broken} of {total} events.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private sealed record StreamHeadSketch(long Version, string Hash);
}

internal sealed class PhaseTimes
{
    public int Appends { get; set; }

    public TimeSpan Begin { get; set; }

    public TimeSpan Lookup { get; set; }

    public TimeSpan HashAndBuild { get; set; }

    public TimeSpan Save { get; set; }

    public TimeSpan Commit { get; set; }

    public override string ToString()
    {
        string Per(TimeSpan t) => (t.TotalMilliseconds / Math.Max(1, Appends)).ToString("0.00", CultureInfo.InvariantCulture);
        return $"ms per append: connect+begin {Per(Begin)}, lock+lookup {Per(Lookup)}, hash+build {Per(HashAndBuild)}, Marten save {Per(Save)}, commit {Per(Commit)}";
    }
}
