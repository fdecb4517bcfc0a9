using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Service.Appending;
using KarabakhLedger.Service.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace KarabakhLedger.Service.Retracting;

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
    public static LedgerAppend Decide(RetractInteraction command, ActorRegistry actors) =>
        CommandInput.Decide<RetractionRecording>(command.Body, command.ExpectedVersion, actors);

    public static Task<RecordedResponse> Handle(RetractInteraction command, LedgerWriter writer, ActorRegistry actors, CancellationToken cancellationToken) =>
        writer.AppendAsync(Decide(command, actors), cancellationToken);
}

/// <summary><c>POST /api/retractions</c>: retracts a recorded interaction, taken as <see cref="CommandHttp"/> takes every command.</summary>
public static class RetractInteractionEndpoint
{
    [WolverinePost("/api/retractions", OperationId = "retractInteraction")]
    [RecordingCommand(CommandBody.Retraction)]
    public static Task<IResult> Post(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken) =>
        CommandHttp.InvokeAsync(request, bus, options, body => new RetractInteraction(body, expectedVersion), cancellationToken);
}
