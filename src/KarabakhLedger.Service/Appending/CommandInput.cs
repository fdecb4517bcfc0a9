using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// The checks every command shares on top of <see cref="RecordingParser"/>'s: a body is exactly one object of the
/// recording format, and an expected version is a stream version. Errors name the field and the rule.
/// </summary>
public static class CommandInput
{
    /// <summary>The one recording in <paramref name="body"/>; every broken rule is reported with its field path.</summary>
    /// <exception cref="LedgerValidationException">the body is not one valid object of the recording format.</exception>
    public static Domain.Recording.Recording ParseOne(string body, ActorRegistry actors)
    {
        if (body.AsSpan().TrimStart().StartsWith("["))
        {
            throw new LedgerValidationException("(input)", "must be one JSON object; send a batch one object per request");
        }

        return RecordingParser.ParseBatch(body, actors).Single();
    }

    /// <summary>
    /// The decision every single-stream command makes: <paramref name="body"/> is one recording of kind
    /// <typeparamref name="TRecording"/> (and, when given, one that <paramref name="accepts"/>), appended under the
    /// expected version; any other kind is refused, naming the endpoint that takes it.
    /// </summary>
    /// <exception cref="LedgerValidationException">a broken rule of the format, a wrong kind, or a negative expected version.</exception>
    public static LedgerAppend Decide<TRecording>(string body, long? expectedVersion, ActorRegistry actors, Func<TRecording, bool>? accepts = null)
        where TRecording : Domain.Recording.Recording
    {
        var recording = ParseOne(body, actors);
        var expected = Expected(expectedVersion);
        return recording is TRecording taken && (accepts?.Invoke(taken) ?? true)
            ? new LedgerAppend([taken], expected)
            : throw WrongKind(recording);
    }

    /// <summary><see cref="ExpectedVersion.Any"/> for null, else that exact stream version.</summary>
    public static ExpectedVersion Expected(long? version) => version switch
    {
        null => ExpectedVersion.Any,
        < 0 => throw new LedgerValidationException("expectedVersion", "must be a stream version: 0 (no events yet) or more"),
        { } v => ExpectedVersion.Exactly(v),
    };

    /// <summary>Refuses a recording of another kind than the endpoint takes, naming the endpoint that does.</summary>
    public static LedgerValidationException WrongKind(Domain.Recording.Recording recording) => recording switch
    {
        CorrectionRecording => new("corrects", "a correction goes to POST /api/corrections"),
        RetractionRecording => new("retracts", "a retraction goes to POST /api/retractions"),
        MergeRecording => new("merges", "a merge goes to POST /api/merges"),
        InteractionRecording r when IsMultilateral(r) => new("participants", "a multilateral act goes to POST /api/multilateral-acts"),
        _ => new("initiator", "a bilateral interaction goes to POST /api/interactions"),
    };

    /// <summary>True for an act recorded with <c>participants</c> rather than <c>initiator</c>/<c>target</c>.</summary>
    public static bool IsMultilateral(InteractionRecording recording) =>
        recording.Events.Count != 1 || recording.Events[0].Event is Domain.Interactions.InteractionEvent { Facts.Participants: not null };
}
