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
/// Merge recorded interactions into one: <see cref="Body"/> is one merge object
/// (<c>{ "merges": [id, id, …], "reason", "sources" }</c>). It is appended to the stream the merged events are on; with
/// <see cref="ExpectedVersion"/>, only if that stream holds exactly that many events.
/// </summary>
public sealed record MergeInteractions(string Body, long? ExpectedVersion);

/// <summary>Handles <see cref="MergeInteractions"/>.</summary>
public static class MergeInteractionsHandler
{
    /// <summary>
    /// The decision, pure: validates the body (the recording format's rules, then: a merge). Whether every merged event
    /// exists, is an interaction, is not retracted and is on one dyad is checked against the ledger when appending
    /// (<see cref="Ledger.Recording.LedgerRecorder"/>), in the same all-or-nothing step.
    /// </summary>
    public static LedgerAppend Decide(MergeInteractions command, ActorRegistry actors) =>
        CommandInput.Decide<MergeRecording>(command.Body, command.ExpectedVersion, actors);

    public static Task<RecordedResponse> Handle(MergeInteractions command, LedgerWriter writer, ActorRegistry actors, CancellationToken cancellationToken) =>
        writer.AppendAsync(Decide(command, actors), cancellationToken);
}

/// <summary><c>POST /api/merges</c>: merges recorded interactions, taken as <see cref="CommandHttp"/> takes every command.</summary>
public static class MergeInteractionsEndpoint
{
    [WolverinePost("/api/merges", OperationId = "mergeInteractions")]
    [RecordingCommand(CommandBody.Merge)]
    public static Task<IResult> Post(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken) =>
        CommandHttp.InvokeAsync(request, bus, options, body => new MergeInteractions(body, expectedVersion), cancellationToken);
}
