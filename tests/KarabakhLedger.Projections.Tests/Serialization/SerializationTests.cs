using System.Collections.Immutable;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Grains;
using KarabakhLedger.Projections.Tests.Infrastructure;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace KarabakhLedger.Projections.Tests.Serialization;

/// <summary>What crosses grain calls and what grain storage keeps must come back exactly as it went.</summary>
public sealed class SerializationTests
{
    private readonly Serializer _serializer;
    private readonly DeepCopier _copier;

    public SerializationTests()
    {
        var services = new ServiceCollection().AddSerializer().AddLedgerProjectionSerialization().BuildServiceProvider();
        _serializer = services.GetRequiredService<Serializer>();
        _copier = services.GetRequiredService<DeepCopier>();
    }

    [Fact]
    public async Task Score_and_timeline_results_round_trip_exactly_decimals_and_dates_included()
    {
        var (ledger, snapshots) = await TestLedgers.NewSqliteAsync();
        await using var _ = ledger;
        await using var __ = snapshots;
        await TestLedgers.SeedCorpusAsync(ledger);
        var dyad = new Dyad("RUS", "TUR");
        var events = await TestLedgers.ReadDyadAsync(ledger, dyad);
        var query = new ScoreQuery(new DateOnly(2021, 3, 31), new DateTimeOffset(2099, 12, 31, 23, 59, 59, 123, TimeSpan.FromHours(4)).AddTicks(4567));
        var score = Scorer.Score(events, query, ModelCatalog.Bundled.Get("goldstein-icews@1"));
        var timeline = Scorer.Timeline(events, new DateOnly(2019, 1, 1), new DateOnly(2021, 12, 31), Bucket.Quarter, query, ModelCatalog.Bundled.Default);
        Assert.NotEmpty(score.Contributions);

        var score2 = _serializer.Deserialize<ScoreResult>(_serializer.SerializeToArray(score))!;
        Assert.Equal(Json.Of(score), Json.Of(score2));
        Assert.Equal(score.Digest, Scorer.Digest(score2.Model, score2.AsOf, score2.Contributions));
        Assert.Equal(decimal.GetBits(score.Score), decimal.GetBits(score2.Score));
        Assert.All(score.Contributions.Zip(score2.Contributions), p =>
        {
            Assert.Equal(decimal.GetBits(p.First.Value), decimal.GetBits(p.Second.Value));
            Assert.Equal(decimal.GetBits(p.First.Weight), decimal.GetBits(p.Second.Weight));
            Assert.Equal(decimal.GetBits(p.First.DecayFactor), decimal.GetBits(p.Second.DecayFactor));
        });
        Assert.Equal(query.AsOf, score2.AsOf);
        Assert.Equal(query.KnownAt, score2.KnownAt);
        Assert.Equal(query.KnownAt.Offset, score2.KnownAt.Offset);

        var timeline2 = _serializer.Deserialize<TimelineResult>(_serializer.SerializeToArray(timeline))!;
        Assert.Equal(Json.Of(timeline), Json.Of(timeline2));
        Assert.Equal(Json.Of(score), Json.Of(_copier.Copy(score)));
    }

    [Fact]
    public void Queries_and_buckets_cross_as_they_are()
    {
        var query = new ScoreQuery(new DateOnly(2020, 11, 10), new DateTimeOffset(2020, 11, 10, 5, 6, 7, TimeSpan.FromHours(-3)).AddTicks(1));
        Assert.Equal(query, _serializer.Deserialize<ScoreQuery>(_serializer.SerializeToArray(query)));
        Assert.Equal(Bucket.Quarter, _serializer.Deserialize<Bucket>(_serializer.SerializeToArray(Bucket.Quarter)));
        Assert.Equal(0.100m, _serializer.Deserialize<decimal>(_serializer.SerializeToArray(0.100m)));
    }

    [Fact]
    public void Snapshots_and_messages_round_trip_through_the_storage_serializer()
    {
        var message = new LedgerEventMessage(42, 7, Guid.NewGuid(), "talks-held", 1, """{"a":"Türkiye","n":1.50}""",
            new DateTimeOffset(2025, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(7), new string('a', 64));
        var snapshot = new DyadSnapshot { Events = [message, message with { Position = 50, StreamVersion = 8 }] };
        var storage = new Orleans.Storage.OrleansGrainStorageSerializer(_serializer);
        var back = storage.Deserialize<DyadSnapshot>(storage.Serialize(snapshot))!;
        Assert.Equal(snapshot.Events.ToArray(), back.Events.ToArray());

        var generations = new ProjectionGenerations(
            new GenerationInfo(2, "goldstein-icews@1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 99), null,
            ImmutableArray.Create(new GenerationInfo(1, "goldstein-gdelt@1", DateTimeOffset.UnixEpoch, null, null)));
        var generations2 = _serializer.Deserialize<ProjectionGenerations>(_serializer.SerializeToArray(generations))!;
        Assert.Equal(generations.Active, generations2.Active);
        Assert.Equal(generations.Retired.ToArray(), generations2.Retired.ToArray());
    }
}
