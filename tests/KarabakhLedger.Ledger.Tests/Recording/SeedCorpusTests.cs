using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Testing;
using KarabakhLedger.Testing.Contracts;
using KarabakhLedger.Ledger.Tests.Sqlite;

namespace KarabakhLedger.Ledger.Tests.Recording;

public sealed class SeedCorpusTests
{
    private static readonly IReadOnlyList<Domain.Recording.Recording> Corpus = SeedCorpus.Load();

    private static IEnumerable<InteractionEvent> Events =>
        Corpus.OfType<InteractionRecording>().SelectMany(r => r.Events).Select(e => (InteractionEvent)e.Event);

    [Fact]
    public void Every_seed_object_passes_the_same_validation_as_user_input()
    {
        Assert.All(Corpus, r => Assert.IsType<InteractionRecording>(r));
        Assert.True(Events.Count() >= 60, $"only {Events.Count()} stream events");
    }

    [Fact]
    public void Every_seed_event_cites_a_source_and_has_a_known_CAMEO_code()
    {
        Assert.All(Events, e =>
        {
            Assert.NotEmpty(e.Facts.Sources);
            Assert.All(e.Facts.Sources, s => Assert.True(s.Url is not null || s.Document is not null));
            Assert.True(CameoCatalog.Default.TryGet(e.Facts.CameoCode, out _), e.Facts.CameoCode);
        });
    }

    [Fact]
    public void The_corpus_draws_on_both_seed_documents_and_uses_the_footnotes_of_document_000()
    {
        var sources = Events.SelectMany(e => e.Facts.Sources).ToArray();

        Assert.Contains(sources, s => s.Document == "003_08a83cd49192ac61");
        var footnoted = sources.Where(s => s.Document == "000_5b38dcf0de5d89a9" && s.Url is not null).ToArray();
        Assert.True(footnoted.Length >= 20, $"only {footnoted.Length} footnoted sources");
        Assert.All(footnoted, s => Assert.NotNull(s.Accessed));
    }

    [Theory]
    [InlineData("RUS-TUR")]
    [InlineData("TUR-UKR")]
    [InlineData("RUS-UKR")]
    [InlineData("ARM-AZE")]
    [InlineData("ARM-RUS")]
    [InlineData("AZE-RUS")]
    [InlineData("AZE-TUR")]
    public void The_corpus_covers_the_dyads_of_the_seed_documents(string dyad)
    {
        Assert.Contains(Events, e => e.Facts.Dyad.Key == dyad);
    }

    [Fact]
    public void Multilateral_acts_share_a_correlation_id_across_their_dyads()
    {
        var acts = Events.Where(e => e.Facts.CorrelationId is not null).GroupBy(e => e.Facts.CorrelationId).ToArray();

        Assert.NotEmpty(acts);
        Assert.All(acts, act => Assert.Equal(act.Count(), act.Select(e => e.Facts.Dyad.Key).Distinct().Count()));
        Assert.Contains(acts, act => act.Count() >= 3);
    }

    [Fact]
    public async Task Importing_the_corpus_twice_appends_nothing_the_second_time()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(TempLedger.NewPath(), TimeProvider.System);
        var recorder = new LedgerRecorder(store, EventSerializer.Default, TimeProvider.System);

        var first = await recorder.RecordAsync(SeedCorpus.Load());
        var before = await store.ReadAll();
        var second = await recorder.RecordAsync(SeedCorpus.Load());

        Assert.All(first.SelectMany(i => i.Events), e => Assert.Equal(AppendStatus.Appended, e.Status));
        Assert.All(second.SelectMany(i => i.Events), e => Assert.Equal(AppendStatus.AlreadyAppended, e.Status));
        Assert.Equal(Events.Count(), before.Count);
        Assert.Equal(before.Select(e => (e.EventId, e.Hash)), (await store.ReadAll()).Select(e => (e.EventId, e.Hash)));
    }
}
