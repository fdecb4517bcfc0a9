using KarabakhLedger.Domain.Recording;

namespace KarabakhLedger.Service.Commands;

/// <summary>
/// Retract a recorded interaction: <see cref="Body"/> is one retraction object
/// (<c>{ "retracts": id, "reason", "sources" }</c>). It is appended to the stream of the event it retracts; with
/// <see cref="ExpectedVersion"/>, only if that stream holds exactly that many events.
/// </summary>
public sealed record RetractInteraction(string Body, long? ExpectedVersion);

/// <summary>Handles <see cref="RetractInteraction"/>.</summary>
public static class RetractInteractionHandler
{
    /// <summary>
    /// The decision, pure: validates the body (the recording format's rules, then: a retraction). The retracted
    /// event is checked against the ledger when appending, in the same all-or-nothing step.
    /// </summary>
    public static LedgerAppend Decide(RetractInteraction command)
    {
        var recording = CommandInput.ParseOne(command.Body);
        var expected = CommandInput.Expected(command.ExpectedVersion);
        return recording is RetractionRecording retraction
            ? new LedgerAppend([retraction], expected)
            : throw CommandInput.WrongKind(recording);
    }

    public static Task<RecordedResponse> Handle(RetractInteraction command, LedgerWriter writer, CancellationToken cancellationToken) =>
        writer.AppendAsync(Decide(command), cancellationToken);
}
