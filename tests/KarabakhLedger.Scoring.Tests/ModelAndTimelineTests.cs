using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Scoring.Tests;

public sealed class ModelAndTimelineTests(SeededLedger ledger) : IClassFixture<SeededLedger>
{
    [Fact]
    public void Model_1_weights_are_the_GDELT_Goldstein_table()
    {
        var model = ModelCatalog.Bundled.Default;

        Assert.Equal("goldstein-gdelt@1", model.Key);
        Assert.Equal(CameoCatalog.Default.Count, model.Weights.Count);
        Assert.All(CameoCatalog.Default.All, e => Assert.Equal(e.Goldstein, model.WeightOf(e.Code)));
        Assert.Equal("365", model.Descriptor.Parameters["halfLifeDays"]);
    }

    [Fact]
    public void The_ICEWS_model_differs_exactly_where_the_comparison_table_says()
    {
        var gdelt = ModelCatalog.Bundled.Get("goldstein-gdelt@1");
        var icews = ModelCatalog.Bundled.Get("goldstein-icews");
        var overrides = ReferenceTable.Read("goldstein_comparison_gdelt_vs_icews.tsv");

        var differing = gdelt.Weights.Where(w => icews.WeightOf(w.Key) != w.Value).Select(w => w.Key).Order().ToArray();

        Assert.Equal(["016", "022", "164", "165"], differing);
        Assert.All(differing, code => Assert.Equal(decimal.Parse(overrides.Single(r => r["code"] == code)["icews_goldstein"], System.Globalization.CultureInfo.InvariantCulture), icews.WeightOf(code)));
    }

    [Fact]
    public void An_unknown_model_is_refused_with_the_known_ones_listed()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => ModelCatalog.Bundled.Get("plover@9"));

        Assert.Contains("goldstein-gdelt@1", error.Message);
    }

    [Fact]
    public void A_model_can_be_added_as_a_data_file()
    {
        var folder = TestFolders.Create("karabakh-models-").FullName;
        File.WriteAllText(Path.Combine(folder, "slow.json"), """
            { "id": "goldstein-gdelt", "version": 2, "description": "Slower decay.",
              "weights": { "table": "cameo_goldstein.tsv", "code": "code", "weight": "goldstein" }, "halfLifeDays": 1825 }
            """);

        var catalog = ModelCatalog.WithFolder(folder);

        Assert.Equal(1825m, catalog.Get("goldstein-gdelt").HalfLifeDays);
        Assert.Equal(365m, catalog.Get("goldstein-gdelt@1").HalfLifeDays);
        Assert.Throws<InvalidDataException>(() => ModelCatalog.Parse("""{ "id": "x", "version": 0 }""", "inline"));
    }

    [Fact]
    public async Task Yearly_timeline_buckets_add_up_to_the_undecayed_totals()
    {
        var state = await ledger.StateOf("RUS-TUR");
        var query = new ScoreQuery(new DateOnly(2022, 12, 31), SeededLedger.SeededAt);
        var model = ModelCatalog.Bundled.Default;

        var timeline = Scorer.Timeline(state, new DateOnly(2015, 1, 1), new DateOnly(2022, 12, 31), Bucket.Year, query, model);
        var inRange = Scorer.Contributions(state, query, model).Where(c => string.CompareOrdinal(c.OccurredOn, "2015") >= 0).ToArray();

        Assert.Equal(Enumerable.Range(2015, 8).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)), timeline.Points.Select(p => p.Label));
        Assert.Equal(inRange.Length, timeline.Points.Sum(p => p.Events));
        Assert.Equal(inRange.Sum(c => c.Weight), timeline.Points.Sum(p => p.Net));
        Assert.All(timeline.Points, p => Assert.Equal(p.Cooperation + p.Conflict, p.Net));
        Assert.Contains(timeline.Points, p => p.Conflict < 0);
        Assert.Contains(timeline.Points, p => p.Cooperation > 0);
    }

    [Fact]
    public async Task Quarter_and_month_buckets_are_labelled_and_contiguous()
    {
        var state = await ledger.StateOf("RUS-TUR");
        var query = new ScoreQuery(new DateOnly(2022, 12, 31), SeededLedger.SeededAt);

        var quarters = Scorer.Timeline(state, new DateOnly(2022, 2, 10), new DateOnly(2022, 12, 31), Bucket.Quarter, query, ModelCatalog.Bundled.Default);
        var months = Scorer.Timeline(state, new DateOnly(2022, 1, 1), new DateOnly(2022, 12, 31), Bucket.Month, query, ModelCatalog.Bundled.Default);

        Assert.Equal(["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"], quarters.Points.Select(p => p.Label));
        Assert.Equal(12, months.Points.Count);
        Assert.All(months.Points.Zip(months.Points.Skip(1)), p => Assert.Equal(p.First.End.AddDays(1), p.Second.Start));
        Assert.Equal(quarters.Points.Sum(p => p.Net), months.Points.Sum(p => p.Net));
        Assert.Throws<ArgumentException>(() => Scorer.Timeline(state, new DateOnly(2023, 1, 1), new DateOnly(2022, 1, 1), Bucket.Year, query, ModelCatalog.Bundled.Default));
    }

    [Fact]
    public async Task The_digest_changes_with_the_model_and_with_any_stored_hash()
    {
        var state = await ledger.StateOf("ARM-AZE");
        var query = new ScoreQuery(new DateOnly(2022, 12, 31), SeededLedger.SeededAt);
        var score = Scorer.Score(state, query, ModelCatalog.Bundled.Default);

        var otherModel = Scorer.Score(state, query, ModelCatalog.Bundled.Default.WithHalfLife(730));
        var tampered = Scorer.Digest(score.Model, score.AsOf, [score.Contributions[0] with { Hash = new string('0', 64) }, .. score.Contributions.Skip(1)]);

        Assert.Equal(score.Digest, Scorer.Digest(score.Model, score.AsOf, score.Contributions));
        Assert.NotEqual(score.Digest, otherModel.Digest);
        Assert.NotEqual(score.Digest, tampered);
    }
}
