using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Service.Appending;
using KarabakhLedger.Service.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace KarabakhLedger.Service.Recording;

/// <summary>
/// Record one bilateral interaction: <see cref="Body"/> is one object of the recording format
/// (docs/recording-format.md) with <c>initiator</c> and <c>target</c>. With <see cref="ExpectedVersion"/>, it is
/// appended only if the dyad's stream holds exactly that many events.
/// </summary>
public sealed record RecordInteraction(string Body, long? ExpectedVersion);

/// <summary>Handles <see cref="RecordInteraction"/>.</summary>
public static class RecordInteractionHandler
{
    /// <summary>
    /// The decision, pure: validates the body (the recording format's rules, then: a bilateral interaction) and
    /// returns what to append.
    /// </summary>
    public static LedgerAppend Decide(RecordInteraction command, ActorRegistry actors) =>
        CommandInput.Decide<InteractionRecording>(command.Body, command.ExpectedVersion, actors, r => !CommandInput.IsMultilateral(r));

    public static Task<RecordedResponse> Handle(RecordInteraction command, LedgerWriter writer, ActorRegistry actors, CancellationToken cancellationToken) =>
        writer.AppendAsync(Decide(command, actors), cancellationToken);
}

/// <summary><c>POST /api/interactions</c>: records one bilateral interaction, taken as <see cref="CommandHttp"/> takes every command.</summary>
public static class RecordInteractionEndpoint
{
    [WolverinePost("/api/interactions", OperationId = "recordInteraction")]
    [RecordingCommand(CommandBody.Interaction)]
    public static Task<IResult> Post(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken) =>
        CommandHttp.InvokeAsync(request, bus, options, body => new RecordInteraction(body, expectedVersion), cancellationToken);
}
