using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Tests;

/// <summary>
/// A score's digest is the SHA-256 of the JSON document its doc comment describes, written here in one piece with a
/// JSON writer, so a faster way of computing it (cached entries, incremental hashing) cannot drift from the format.
/// </summary>
public sealed class DigestTests(SeededLedger ledger) : IClassFixture<SeededLedger>
{
    [Theory]
    [InlineData("TUR-RUS", "2026-11-30", "goldstein-gdelt@1")]
    [InlineData("ARM-AZE", "2022-02-23", "goldstein-icews@1")]
    [InlineData("TUR-UKR", "2024-06-30", "goldstein-gdelt@1")]
    public async Task The_digest_is_the_sha256_of_the_documented_json_from_either_overload(string dyad, string asOf, string modelKey)
    {
        var model = ModelCatalog.Bundled.Get(modelKey);
        var query = new ScoreQuery(DateOnly.Parse(asOf, CultureInfo.InvariantCulture), SeededLedger.SeededAt.AddDays(1));
        var result = Scorer.Score(await ledger.StateOf(dyad), query, model);
        Assert.NotEmpty(result.Contributions);

        var expected = Documented(model.Descriptor, query.AsOf, result.Contributions);

        Assert.Equal(expected, result.Digest);
        Assert.Equal(expected, Scorer.Digest(model.Descriptor, query.AsOf, result.Contributions));
        Assert.Equal(expected, Scorer.Digest(model.Descriptor, query.AsOf, result.Contributions.Select(c => new DigestEntry(c.EventId, c.Hash, c.CorrectionHash, c.Weight, c.DecayFactor, c.Value))));
        Assert.NotEqual(expected, Scorer.Digest(model.Descriptor, query.AsOf.AddDays(1), result.Contributions));
        Assert.NotEqual(expected, Scorer.Digest(model.Descriptor, query.AsOf, result.Contributions.Skip(1).ToArray()));
    }

    [Fact]
    public void The_digest_of_no_contributions_has_an_empty_list()
    {
        var model = ModelCatalog.Bundled.Default;
        var asOf = new DateOnly(2020, 1, 1);

        Assert.Equal(Documented(model.Descriptor, asOf, []), Scorer.Digest(model.Descriptor, asOf, Array.Empty<Contribution>()));
    }

    private static string Documented(ModelDescriptor model, DateOnly asOf, IReadOnlyList<Contribution> contributions)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("model");
            writer.WriteString("id", model.Id);
            writer.WriteNumber("version", model.Version);
            writer.WriteStartObject("parameters");
            foreach (var (name, value) in model.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("asOf", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteStartArray("contributions");
            foreach (var c in contributions)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(c.EventId.ToString("D"));
                writer.WriteStringValue(c.Hash);
                if (c.CorrectionHash is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(c.CorrectionHash);
                }

                writer.WriteRawValue(LedgerJson.Format(c.Weight));
                writer.WriteRawValue(LedgerJson.Format(c.DecayFactor));
                writer.WriteRawValue(LedgerJson.Format(c.Value));
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
