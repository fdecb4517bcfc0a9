using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Service.Appending;
using KarabakhLedger.Service.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace KarabakhLedger.Service.Correcting;

/// <summary>
/// Correct a recorded interaction: <see cref="Body"/> is one correction object
/// (<c>{ "corrects": id, "reason", "sources", "with": { … } }</c>). It is appended to the stream of the event it
/// corrects; with <see cref="ExpectedVersion"/>, only if that stream holds exactly that many events.
/// </summary>
public sealed record CorrectInteraction(string Body, long? ExpectedVersion);

/// <summary>Handles <see cref="CorrectInteraction"/>.</summary>
public static class CorrectInteractionHandler
{
    /// <summary>
    /// The decision, pure: validates the body (the recording format's rules, then: a correction). Whether the
    /// corrected event exists, is an interaction, is not retracted and stays in its dyad and kind is checked against
    /// the ledger when appending (<see cref="Ledger.Recording.LedgerRecorder"/>), in the same all-or-nothing step.
    /// </summary>
    public static LedgerAppend Decide(CorrectInteraction command, ActorRegistry actors) =>
        CommandInput.Decide<CorrectionRecording>(command.Body, command.ExpectedVersion, actors);

    public static Task<RecordedResponse> Handle(CorrectInteraction command, LedgerWriter writer, ActorRegistry actors, CancellationToken cancellationToken) =>
        writer.AppendAsync(Decide(command, actors), cancellationToken);
}

/// <summary><c>POST /api/corrections</c>: corrects a recorded interaction, taken as <see cref="CommandHttp"/> takes every command.</summary>
public static class CorrectInteractionEndpoint
{
    [WolverinePost("/api/corrections", OperationId = "correctInteraction")]
    [RecordingCommand(CommandBody.Correction)]
    public static Task<IResult> Post(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken) =>
        CommandHttp.InvokeAsync(request, bus, options, body => new CorrectInteraction(body, expectedVersion), cancellationToken);
}
