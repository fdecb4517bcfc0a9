using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Dyads;

namespace KarabakhLedger.Domain.Tests;

public sealed class ActorsAndDyadsTests
{
    [Theory]
    [InlineData("TUR", ActorKind.State)]
    [InlineData("ARM", ActorKind.State)]
    [InlineData("OSCEMG", ActorKind.InternationalOrganisation)]
    [InlineData("BAYKAR", ActorKind.Company)]
    [InlineData("WAGNER", ActorKind.NonStateArmedGroup)]
    [InlineData("NKR", ActorKind.SelfDeclaredEntity)]
    public void The_registry_knows_states_and_named_actors(string code, ActorKind kind)
    {
        Assert.Equal(kind, ActorRegistry.Default.Get(code).Kind);
    }

    [Fact]
    public void Every_registered_code_is_usable_in_a_dyad_key()
    {
        Assert.All(ActorRegistry.Default.All, a => Assert.True(Dyad.IsWellFormedCode(a.Code), a.Code));
        Assert.True(ActorRegistry.Default.All.Count() >= 249 + 28 + 100);
    }

    [Fact]
    public void A_dyad_is_unordered_and_keyed_by_its_sorted_codes()
    {
        var one = new Dyad("TUR", "RUS");
        var other = new Dyad("RUS", "TUR");

        Assert.Equal(one, other);
        Assert.Equal("RUS-TUR", one.Key);
        Assert.Equal("dyad-RUS-TUR", one.StreamId);
        Assert.Equal(one, Dyad.Parse("tur-rus"));
        Assert.True(Dyad.TryFromStreamId("dyad-ARM-AZE", out var parsed) && parsed.Key == "ARM-AZE");
        Assert.False(Dyad.TryFromStreamId("other-stream", out _));
    }

    [Fact]
    public void A_dyad_refuses_one_actor_twice_and_what_is_not_a_code()
    {
        Assert.Contains("two different actors", Assert.Throws<ArgumentException>(() => new Dyad("TUR", "TUR")).Message);
        Assert.Contains("'tur'", Assert.Throws<ArgumentException>(() => new Dyad("tur", "RUS")).Message);
        Assert.Contains("'RUS-UKR'", Assert.Throws<ArgumentException>(() => new Dyad("RUS-UKR", "TUR")).Message);
        Assert.Throws<FormatException>(() => Dyad.Parse("RUS-TUR-UKR"));
        Assert.Throws<FormatException>(() => Dyad.Parse("TUR-tur"));
        Assert.False(Dyad.TryFromStreamId("dyad-RUS", out _));
    }

    [Fact]
    public void The_registry_makes_dyads_of_known_codes_only_each_as_its_canonical_code()
    {
        var actors = ActorRegistry.Default;

        Assert.Equal("ROU-TUR", actors.DyadOf("TUR", "ROM").Key);
        Assert.Contains("'XYZ'", Assert.Throws<ArgumentException>(() => actors.DyadOf("XYZ", "TUR")).Message);
        Assert.Contains("two different actors", Assert.Throws<ArgumentException>(() => actors.DyadOf("ROM", "ROU")).Message);
        Assert.Throws<ArgumentException>(() => actors.Get("ZZZ"));
        Assert.True(actors.TryDyadOfStream("dyad-ROM-TUR", out var aliased) && aliased.Key == "ROU-TUR");
        Assert.False(actors.TryDyadOfStream("dyad-XYZ-TUR", out _));
        Assert.False(actors.TryDyadOfStream("dyad-ROM-ROU", out _));
        Assert.False(actors.TryDyadOfStream("dyad-RUS-TUR-UKR", out _));
        Assert.False(actors.TryDyadOfStream("checkpoints", out _));
    }
}
