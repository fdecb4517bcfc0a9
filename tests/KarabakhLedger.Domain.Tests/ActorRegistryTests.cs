using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Dyads;

namespace KarabakhLedger.Domain.Tests;

public sealed class ActorRegistryTests
{
    private static readonly ActorRegistry Registry = ActorRegistry.Default;

    [Fact]
    public void Every_ISO_state_is_a_state_under_its_alpha3_code_and_answers_to_its_names()
    {
        var iso = ReferenceTable.Read("iso3166.tsv");
        Assert.Equal(249, iso.Count);
        foreach (var row in iso)
        {
            var actor = Registry.Get(row["alpha3"]);
            Assert.Equal(ActorKind.State, actor.Kind);
            Assert.Equal(row["alpha3"], actor.Country);
            foreach (var name in new[] { row["name"], row["official_name"], row["common_name"] }.Where(n => n.Length > 0))
            {
                Assert.True(Registry.TryResolve(name, out var named, out var error), error);
                Assert.Equal(row["alpha3"], named.Code);
            }
        }
    }

    [Fact]
    public void Every_CAMEO_country_and_region_code_resolves_and_the_ones_ISO_spells_otherwise_map_by_the_written_rule()
    {
        foreach (var row in ReferenceTable.Read("cameo_countries.tsv"))
        {
            Assert.True(Registry.TryGet(row["code"], out _), row["code"]);
        }

        Assert.Equal("ROU", Registry.Get("ROM").Code);
        Assert.Equal("MNE", Registry.Get("MTN").Code);
        Assert.Equal("IMN", Registry.Get("IMY").Code);
        Assert.Equal("TLS", Registry.Get("TMP").Code);
        Assert.Equal(ActorKind.State, Registry.Get("SSD").Kind);
        Assert.Equal(ActorKind.State, Registry.Get("ANT").Kind);
        Assert.Equal(ActorKind.Region, Registry.Get("EUR").Kind);
        Assert.Null(Registry.Get("MEA").Country);
        Assert.Equal("PSE", Registry.Get("WSB").Country);
        Assert.Equal(new Dyad("ROU", "TUR"), Registry.DyadOf("ROM", "TUR"));
    }

    [Fact]
    public void Every_CAMEO_known_group_code_resolves_and_project_actors_claim_theirs()
    {
        foreach (var row in ReferenceTable.Read("cameo_known_groups.tsv"))
        {
            Assert.True(Registry.TryGet(row["code"], out _), row["code"]);
        }

        Assert.Equal("NATO", Registry.Get("NAT").Code);
        Assert.Equal("UN", Registry.Get("UNO").Code);
        Assert.Equal("EU", Registry.Get("EEC").Code);
        Assert.Equal("OSCE", Registry.Get("SCE").Code);
        Assert.Equal(ActorKind.KnownGroup, Registry.Get("OPC").Kind);
        Assert.Contains(" / ", Registry.Get("CEM").Name);
        Assert.Equal(ActorKind.State, Registry.Get("PSE").Kind);
    }

    [Fact]
    public void Every_ICEWS_country_name_resolves_to_its_ISO_state()
    {
        foreach (var row in ReferenceTable.Read("icews_country_names.tsv").Where(r => r["iso_alpha3"].Length > 0))
        {
            Assert.True(Registry.TryResolve(row["icews_name"], out var actor, out var error), error);
            Assert.Equal(row["iso_alpha3"], actor.Code);
        }

        Assert.Equal("KSV", Registry.Resolve("Kosovo", "actor").Code);
        Assert.Equal("ANT", Registry.Resolve("Netherlands Antilles", "actor").Code);
    }

    [Theory]
    [InlineData("Turkey", "TUR")]
    [InlineData("Türkiye", "TUR")]
    [InlineData("TÜRKIYE", "TUR")]
    [InlineData("turkiye", "TUR")]
    [InlineData("  tur ", "TUR")]
    [InlineData("Russia", "RUS")]
    [InlineData("Russian Federation", "RUS")]
    [InlineData("russian federation", "RUS")]
    [InlineData("Côte d'Ivoire", "CIV")]
    [InlineData("cote divoire", "CIV")]
    [InlineData("Minsk Group", "OSCEMG")]
    [InlineData("Baykar", "BAYKAR")]
    [InlineData("turmil", "TURMIL")]
    public void Codes_and_names_resolve_ignoring_case_and_accents(string text, string code)
    {
        Assert.True(Registry.TryResolve(text, out var actor, out var error), error);
        Assert.Equal(code, actor.Code);
    }

    [Fact]
    public void An_unknown_name_fails_with_the_closest_matches()
    {
        Assert.False(Registry.TryResolve("Turky", out _, out var error));
        Assert.Contains("did you mean", error);
        Assert.Contains("(TUR)", error);
        Assert.False(Registry.TryResolve("Azerbajan", out _, out error));
        Assert.Contains("(AZE)", error);
        Assert.False(Registry.TryResolve("Qqqqqqqq", out _, out error));
        Assert.DoesNotContain("did you mean", error);
    }

    [Theory]
    [InlineData("Türkiye-Ukraine", "TUR-UKR")]
    [InlineData("Turkey–Russia", "RUS-TUR")]
    [InlineData("rus-tur", "RUS-TUR")]
    [InlineData("Guinea-Bissau-Senegal", "GNB-SEN")]
    [InlineData("Armenia/Azerbaijan", "ARM-AZE")]
    [InlineData("BAYKAR-UKR", "BAYKAR-UKR")]
    [InlineData("ROMMIL-RUS", "ROUMIL-RUS")]
    public void A_dyad_is_read_from_codes_or_names_split_at_the_one_separator_that_works(string text, string key)
    {
        Assert.Equal(key, Registry.ResolveDyad(text).Key);
    }

    [Fact]
    public void A_dyad_text_that_names_nothing_says_which_side_failed()
    {
        var error = Assert.Throws<ArgumentException>(() => Registry.ResolveDyad("Turkey-Rusia")).Message;
        Assert.Contains("'Rusia'", error);
        Assert.Contains("(RUS)", error);
        Assert.Contains("two different", Assert.Throws<ArgumentException>(() => Registry.ResolveDyad("Turkey-Türkiye")).Message);
        Assert.Contains("not a dyad", Assert.Throws<ArgumentException>(() => Registry.ResolveDyad("Turkey")).Message);
    }

    [Fact]
    public void A_sector_code_is_a_country_and_its_roles()
    {
        var sector = Registry.Get("UKRGOVMIL");
        Assert.Equal(ActorKind.Sector, sector.Kind);
        Assert.Equal("UKR", sector.Country);
        Assert.Equal(["GOV", "MIL"], sector.Roles);
        Assert.Equal("ROUMIL", Registry.Get("ROMMIL").Code);
        Assert.False(Registry.TryGet("TURXYZ", out _));
        Assert.False(Registry.TryGet("TURMILMIL", out _));
        Assert.False(Registry.TryGet("BAYMIL", out _));
    }

    [Fact]
    public void No_listed_code_could_be_read_as_a_sector_code()
    {
        var sectorLike = Registry.All.Where(a => a.Code.Length >= 6 && a.Code.Length % 3 == 0
            && Registry.TryGet(a.Code[..3], out var head) && head.Kind is ActorKind.State or ActorKind.Region
            && Enumerable.Range(1, (a.Code.Length / 3) - 1).All(i => Registry.Roles.ContainsKey(a.Code.Substring(i * 3, 3))));
        Assert.Empty(sectorLike);
    }

    [Fact]
    public void Search_finds_by_code_name_and_alias_code()
    {
        Assert.Equal("TUR", Registry.Search("tur")[0].Code);
        Assert.Contains(Registry.Search("turk"), a => a.Code == "OTS");
        Assert.Equal("NATO", Registry.Search("NAT")[0].Code);
        Assert.Equal("RUS", Registry.Search("Russian")[0].Code);
        Assert.Contains(Registry.Search("Rusia"), a => a.Code == "RUS");
    }

    [Fact]
    public void Named_actors_count_toward_their_state_by_affiliation_and_others_toward_none()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var day = new DateOnly(2022, 3, 1);
        Assert.Equal(new Membership("BAYKAR", "TUR", "BUS", "affiliation"), Registry.MembershipOf("BAYKAR", day, now));
        Assert.Equal(new Dyad("TUR", "UKR"), Registry.CountryDyadOf(new Dyad("BAYKAR", "UKR"), day, now));
        Assert.Equal(new Dyad("TUR", "UKR"), Registry.CountryDyadOf(new Dyad("TURMIL", "UKRGOV"), day, now));
        Assert.Equal(new Dyad("RUS", "UKR"), Registry.CountryDyadOf(new Dyad("WAGNER", "UKR"), day, now));
        Assert.Null(Registry.CountryDyadOf(new Dyad("BAYKAR", "TUR"), day, now));
        Assert.Null(Registry.CountryDyadOf(new Dyad("NATO", "TUR"), day, now));
        Assert.Null(Registry.CountryDyadOf(new Dyad("ARM", "NKR"), day, now));
        Assert.Equal(new Dyad("LBY", "TUR"), Registry.CountryDyadOf(new Dyad("GNA", "TUR"), new DateOnly(2020, 1, 2), now));
        Assert.Null(Registry.CountryDyadOf(new Dyad("GNA", "TUR"), new DateOnly(2021, 3, 16), now));
        Assert.Equal([new Dyad("LBY", "TUR")], Registry.CountryDyadCandidates(new Dyad("GNA", "TUR")));
        Assert.True(Registry.IsCountryDyad(new Dyad("TUR", "UKR")));
        Assert.False(Registry.IsCountryDyad(new Dyad("BAYKAR", "UKR")));
    }

    [Fact]
    public void An_affiliation_recorded_later_counts_only_as_known_after_it_was_recorded()
    {
        var recorded = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var registry = Registry.WithAffiliations(
        [
            new Affiliation("NKR", null, null, null, null, null, "unaffiliated"),
            new Affiliation("NKR", "ARM", "SEP", new DateOnly(1991, 9, 2), new DateOnly(2023, 9, 28), recorded, "recoded later"),
        ]);
        var dyad = new Dyad("NKR", "AZE");
        var day = new DateOnly(2020, 10, 1);

        Assert.Null(registry.CountryDyadOf(dyad, day, recorded.AddTicks(-1)));
        Assert.Equal(new Dyad("ARM", "AZE"), registry.CountryDyadOf(dyad, day, recorded));
        Assert.Null(registry.CountryDyadOf(dyad, new DateOnly(2024, 1, 1), recorded.AddYears(1)));
        Assert.Equal([new Dyad("ARM", "AZE")], registry.CountryDyadCandidates(dyad));
    }

    [Fact]
    public void Affiliations_must_name_listed_actors_states_and_roles()
    {
        Assert.Throws<InvalidDataException>(() => Registry.WithAffiliations([new Affiliation("NOPE", "TUR", null, null, null, null, "")]));
        Assert.Throws<InvalidDataException>(() => Registry.WithAffiliations([new Affiliation("BAYKAR", "NATO", null, null, null, null, "")]));
        Assert.Throws<InvalidDataException>(() => Registry.WithAffiliations([new Affiliation("BAYKAR", "TUR", "XXX", null, null, null, "")]));
        Assert.Throws<InvalidDataException>(() => Registry.WithAffiliations([new Affiliation("TURMIL", "TUR", null, null, null, null, "")]));
    }
}
