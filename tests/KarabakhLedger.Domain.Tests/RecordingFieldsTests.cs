using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Tests;

/// <summary>
/// <see cref="RecordingFields"/> is what the parser does: it takes exactly these fields and requires exactly these.
/// The HTTP API's schemas are built from the same definitions, so neither can drift from the parser unseen.
/// </summary>
public sealed class RecordingFieldsTests
{
    public static TheoryData<string, string[]> Kinds => new()
    {
        { "{}", [.. RecordingFields.Interaction.Required, .. RecordingFields.BilateralParties.Required] },
        { """{"participants": ["TUR", "RUS"]}""", [.. RecordingFields.Interaction.Required] },
        { """{"corrects": "4b1e3c56-0a3f-4f4e-9f0e-8a8a0d0b6c11"}""", [.. RecordingFields.Correction.Required.Where(f => f != "corrects")] },
        { """{"retracts": "4b1e3c56-0a3f-4f4e-9f0e-8a8a0d0b6c11"}""", [.. RecordingFields.Retraction.Required.Where(f => f != "retracts")] },
        { """{"merges": []}""", [.. RecordingFields.Merge.Required.Where(f => f != "merges")] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void What_the_parser_refuses_as_missing_is_what_the_definition_requires(string probe, string[] required)
    {
        var refused = Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch(probe, ActorRegistry.Default));

        var missing = refused.Errors.Where(e => e.Rule.StartsWith("is required", StringComparison.Ordinal)).Select(e => e.Field);
        Assert.Equal(required.Order(StringComparer.Ordinal), missing.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_defined_field_is_taken_and_any_other_is_refused()
    {
        var kinds = new[]
        {
            ("{0}", RecordingFields.Interaction),
            ("{{\"corrects\": \"4b1e3c56-0a3f-4f4e-9f0e-8a8a0d0b6c11\", {0}}}", RecordingFields.Correction),
            ("{{\"retracts\": \"4b1e3c56-0a3f-4f4e-9f0e-8a8a0d0b6c11\", {0}}}", RecordingFields.Retraction),
            ("{{\"merges\": [], {0}}}", RecordingFields.Merge),
        };
        foreach (var (shape, fields) in kinds)
        {
            foreach (var name in fields.Names.Append("colour"))
            {
                var member = $"\"{name}\": null";
                var json = shape == "{0}" ? $"{{{member}}}" : string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, member);
                var refused = Assert.Throws<LedgerValidationException>(() => RecordingParser.ParseBatch(json, ActorRegistry.Default));

                var unknown = refused.Errors.Any(e => e.Field == name && e.Rule.StartsWith("is not a field", StringComparison.Ordinal));
                Assert.True(unknown == (name == "colour"), $"{name} in {json}: {string.Join("; ", refused.Errors)}");
            }
        }
    }

    [Fact]
    public void A_definition_cannot_require_a_field_it_does_not_have() =>
        Assert.Throws<ArgumentException>(() => new FieldSet(["a"], ["b"]));
}
