using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using Microsoft.Extensions.Time.Testing;

namespace KarabakhLedger.Scoring.Tests;

/// <summary>The one reading of query options that the CLI and the HTTP API share: same values, same defaults, each naming its own field.</summary>
public sealed class QueryTextTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 3, 18, 30, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(null, null, "2026-12-03", "2026-12-03T18:30:00+00:00")]
    [InlineData("2021", "2024-06", "2021-12-31", "2024-06-30T23:59:59.9999999+00:00")]
    [InlineData("2022-02", "2025-01-02T03:04:05+02:00", "2022-02-28", "2025-01-02T01:04:05+00:00")]
    [InlineData("2020-02-29", "2025-01-02T03:04:05", "2020-02-29", "2025-01-02T03:04:05+00:00")]
    public void Both_front_ends_read_a_point_the_same_way_with_the_clock_s_defaults(string? asOf, string? knownAt, string day, string instant)
    {
        var cli = QueryText.Point(asOf, knownAt, null, Clock, QueryFields.Cli);
        var http = QueryText.Point(asOf, knownAt, null, Clock, QueryFields.Http);

        Assert.Equal(cli, http);
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), cli.AsOf);
        Assert.Equal(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture), cli.KnownAt);
        Assert.Equal(ProvenanceFilter.Curated, cli.Provenance);
    }

    [Theory]
    [InlineData("2021-13", null, null, "--as-of", "asOf")]
    [InlineData(null, "yesterday", null, "--known-at", "knownAt")]
    [InlineData(null, null, "phoenix", "--provenance", "provenance")]
    public void A_bad_value_is_refused_naming_the_field_as_each_front_end_calls_it(string? asOf, string? knownAt, string? provenance, string cliName, string httpName)
    {
        var cli = Assert.Throws<LedgerValidationException>(() => QueryText.Point(asOf, knownAt, provenance, Clock, QueryFields.Cli));
        var http = Assert.Throws<LedgerValidationException>(() => QueryText.Point(asOf, knownAt, provenance, Clock, QueryFields.Http));

        Assert.Equal(cliName, Assert.Single(cli.Errors).Field);
        Assert.Equal(httpName, Assert.Single(http.Errors).Field);
        Assert.Equal(Assert.Single(cli.Errors).Rule, Assert.Single(http.Errors).Rule);
    }

    [Fact]
    public void Model_bucket_and_dyad_have_one_rule_and_one_default()
    {
        Assert.Equal(ModelCatalog.DefaultKey, QueryText.Model(null, "model"));
        Assert.Equal("plover@7", Assert.Throws<LedgerValidationException>(() => QueryText.Model("plover@7", "--model")).Errors[0].Rule.Split('\'')[1]);
        Assert.Equal(Bucket.Year, QueryText.Bucket(null, "bucket"));
        Assert.Equal(Bucket.Quarter, QueryText.Bucket("quarter", "--bucket"));
        Assert.Equal("--bucket", Assert.Single(Assert.Throws<LedgerValidationException>(() => QueryText.Bucket("week", "--bucket")).Errors).Field);
        Assert.Equal(QueryText.Dyad("RUS-TUR", "dyad", ActorRegistry.Default), QueryText.Dyad("TUR-RUS", "dyad", ActorRegistry.Default));
        Assert.Equal("TUR-RUS", QueryText.AskedOrder("TUR-RUS", "dyad", ActorRegistry.Default));
        Assert.Equal("--dyad", Assert.Single(Assert.Throws<LedgerValidationException>(() => QueryText.Dyad("TUR", "--dyad", ActorRegistry.Default)).Errors).Field);
    }
}
