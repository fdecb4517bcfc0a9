using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// Validates objects of the recording format (docs/recording-format.md) and turns them into events. Every
/// broken rule is reported with its field's path; a batch with any error yields nothing. Each kind of object has its
/// own reader: <see cref="InteractionReader"/> (bilateral interactions and multilateral acts),
/// <see cref="CorrectionReader"/>, <see cref="RetractionReader"/> and <see cref="MergeReader"/>.
/// </summary>
public static class RecordingParser
{
    /// <summary>
    /// Parses JSON text holding one object or an array of objects. One leading byte-order mark is dropped (a byte
    /// position on the first line still counts it, as <see cref="RecordingText"/>'s offsets do); a key given twice in
    /// one object and a lone surrogate escape are refused (<see cref="JsonWellFormedness"/>).
    /// </summary>
    public static IReadOnlyList<Recording> ParseBatch(string json, ActorRegistry actors)
    {
        var mark = RecordingText.ByteOrderMarkLength(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(mark > 0 ? json.AsMemory(1) : json.AsMemory());
        }
        catch (JsonException e)
        {
            var position = e.BytePositionInLine + 1 + (e.LineNumber == 0 ? mark : 0);
            throw new LedgerValidationException(
                "(input)", $"must be well-formed JSON: {e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd()} (line {e.LineNumber + 1}, byte {position})");
        }

        using (document)
        {
            var root = document.RootElement;
            var errors = new ErrorList();
            JsonWellFormedness.Check(root, errors);
            errors.ThrowIfAny();
            var recordings = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select((item, i) => Parse(item, errors.At($"[{i}]"), actors)).ToList(),
                JsonValueKind.Object => [Parse(root, errors, actors)],
                _ => Fail(errors),
            };
            errors.ThrowIfAny();
            var duplicate = recordings.GroupBy(r => r!.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new LedgerValidationException("id", $"{duplicate.Key} appears more than once in the input");
            }

            return recordings!;
        }

        static List<Recording?> Fail(ErrorList errors)
        {
            errors.Add("(input)", "must be a JSON object or an array of objects");
            return [];
        }
    }

    private static Recording? Parse(JsonElement element, ErrorList errors, ActorRegistry actors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("(item)", "must be a JSON object");
            return null;
        }

        var fields = new JsonFields(element, errors);
        if (fields.Has("corrects"))
        {
            return CorrectionReader.Read(element, fields, actors);
        }

        if (fields.Has("retracts"))
        {
            return RetractionReader.Read(element, fields);
        }

        if (fields.Has("merges"))
        {
            return MergeReader.Read(element, fields);
        }

        return InteractionReader.Read(element, fields, actors);
    }

    /// <summary>The id of an object recorded without one: derived from its canonical content, so the same object gets the same id.</summary>
    internal static Guid ContentId(JsonElement element) =>
        DeterministicGuid.Create(DeterministicGuid.ContentNamespace, CanonicalJson.Canonicalize(element));
}
