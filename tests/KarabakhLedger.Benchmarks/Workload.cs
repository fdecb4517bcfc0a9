using System.Text.Json.Serialization;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Benchmarks;

/// <summary>
/// The payload of a ledger event as Marten stores it: the same fields, JSON names and sizes as the ledger's own
/// (internal) LedgerEventRecord, so raw Marten writes and reads the same bytes as the port.
/// </summary>
internal sealed record BenchRecord
{
    public const string Alias = "ledger_event";

    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("schemaVersion")]
    public required int SchemaVersion { get; init; }

    [JsonPropertyName("data")]
    public required string Data { get; init; }

    [JsonPropertyName("recordedAt")]
    public required DateTimeOffset RecordedAt { get; init; }

    [JsonPropertyName("previousHash")]
    public required string PreviousHash { get; init; }

    [JsonPropertyName("hash")]
    public required string Hash { get; init; }
}

/// <summary>One event of a workload, with everything a raw writer stores for it (a made-up hash, not a chain).</summary>
internal sealed record BenchEvent(long Position, string StreamId, long Version, EventToAppend Event, BenchRecord Record);

/// <summary>A batch of events: as the port takes it (one <see cref="StreamAppend"/> per stream) and as rows.</summary>
internal sealed record Batch(IReadOnlyList<StreamAppend> Appends, IReadOnlyList<BenchEvent> Events);

/// <summary>
/// Real ledger payloads: the events of the seed corpus, serialized as the recorder serializes them, and the dyad
/// streams they belong to. A workload cycles through them with fresh event ids.
/// </summary>
internal sealed class Payloads
{
    private Payloads(IReadOnlyList<SerializedEvent> events, IReadOnlyList<string> streams)
    {
        Events = events;
        Streams = streams;
    }

    public IReadOnlyList<SerializedEvent> Events { get; }

    /// <summary>The dyad streams with the most seed events, busiest first.</summary>
    public IReadOnlyList<string> Streams { get; }

    public double AverageDataBytes => Events.Average(e => System.Text.Encoding.UTF8.GetByteCount(e.Json));

    public static Payloads FromSeedCorpus(int streams)
    {
        var planned = SeedCorpus.Load().OfType<InteractionRecording>().SelectMany(r => r.Events).ToArray();
        var events = planned.Select(p => EventSerializer.Default.Serialize(p.Event)).ToArray();
        var busiest = planned.GroupBy(p => p.Dyad.StreamId, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).Take(streams).ToList();
        for (var i = busiest.Count; i < streams; i++)
        {
            busiest.Add($"dyad-BENCH-{i:D2}");
        }

        return new Payloads(events, busiest);
    }
}

/// <summary>
/// Generates batches for one contender. Each contender writes into its own empty table and gets its own
/// workload, so the positions and versions a raw writer assigns are the ones the port would assign.
/// </summary>
internal sealed class Workload(Payloads payloads)
{
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private long _position;
    private int _payload;
    private int _nextStream;

    /// <summary>
    /// <paramref name="size"/> events spread evenly over the streams (round-robin for fewer events than streams),
    /// grouped by stream in the order the port writes them.
    /// </summary>
    public Batch Next(int size)
    {
        var streams = payloads.Streams;
        var perStream = new List<(string Stream, List<BenchEvent> Events)>();
        var used = Math.Min(size, streams.Count);
        for (var s = 0; s < used; s++)
        {
            var stream = streams[_nextStream];
            _nextStream = (_nextStream + 1) % streams.Count;
            var count = size / used + (s < size % used ? 1 : 0);
            var list = new List<BenchEvent>(count);
            for (var i = 0; i < count; i++)
            {
                list.Add(NextEvent(stream));
            }

            perStream.Add((stream, list));
        }

        return new Batch(
            perStream.Select(p => new StreamAppend(p.Stream, ExpectedVersion.Any, p.Events.Select(e => e.Event).ToArray())).ToArray(),
            perStream.SelectMany(p => p.Events).ToArray());
    }

    public IReadOnlyList<Batch> Batches(int count, int size) => Enumerable.Range(0, count).Select(_ => Next(size)).ToArray();

    private BenchEvent NextEvent(string stream)
    {
        var payload = payloads.Events[_payload];
        _payload = (_payload + 1) % payloads.Events.Count;
        var id = Guid.CreateVersion7();
        var version = _versions[stream] = _versions.GetValueOrDefault(stream) + 1;
        var fakeHash = Convert.ToHexStringLower(id.ToByteArray()) + Convert.ToHexStringLower(id.ToByteArray());
        var record = new BenchRecord
        {
            Type = payload.Type,
            SchemaVersion = payload.SchemaVersion,
            Data = payload.Json,
            RecordedAt = EventHash.Truncate(DateTimeOffset.UtcNow),
            PreviousHash = fakeHash,
            Hash = fakeHash,
        };
        return new BenchEvent(++_position, stream, version, new EventToAppend(id, payload.Type, payload.SchemaVersion, payload.Json), record);
    }
}
