using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Testing;
using Microsoft.Extensions.Time.Testing;

namespace KarabakhLedger.Scoring.Tests;

/// <summary>The seed corpus recorded into a real SQLite ledger at a fixed time, and read back as projected events.</summary>
public sealed class SeededLedger : IAsyncLifetime
{
    public static readonly DateTimeOffset SeededAt = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(SeededAt);

    public ILedgerStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var folder = TestFolders.Create("karabakh-scoring-tests-").FullName;
        Store = await SqliteLedgerStore.OpenAsync(Path.Combine(folder, "ledger.db"), Clock);
        await new LedgerRecorder(Store, EventSerializer.Default, Clock).RecordAsync(SeedCorpus.Load());
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    public async Task<IReadOnlyList<ProjectedEvent>> EventsOf(string dyad)
    {
        var events = new List<ProjectedEvent>();
        await foreach (var e in Store.ReadStreamAsync(Dyad.Parse(dyad).StreamId))
        {
            events.Add(ToProjected(e));
        }

        return events;
    }

    public async Task<DyadEvents> StateOf(string dyad) => DyadEvents.Empty(Dyad.Parse(dyad)).Apply(await EventsOf(dyad));

    public static ProjectedEvent ToProjected(StoredEvent e) =>
        new(e.Position, e.StreamVersion, e.RecordedAt, e.Hash, EventSerializer.Default.Deserialize(e.Type, e.SchemaVersion, e.Data));
}
