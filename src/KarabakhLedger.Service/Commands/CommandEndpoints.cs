using KarabakhLedger.Service.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace KarabakhLedger.Service.Commands;

/// <summary>
/// The commands over HTTP. Each takes one object of the recording format (docs/recording-format.md) as its JSON body
/// and hands it to its Wolverine handler. 201 with the appended events (200 when the same object was already
/// recorded); 400 naming every bad field and its rule; 409 when the dyad stream is not at <c>expectedVersion</c> or an
/// event id is taken; 413 for a body over the limit. A refused command writes nothing.
/// </summary>
public static class CommandEndpoints
{
    [WolverinePost("/api/interactions", OperationId = "recordInteraction")]
    [RecordingCommand(CommandBody.Interaction)]
    public static async Task<IResult> RecordInteraction(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        return Answer(await bus.InvokeAsync<RecordedResponse>(new RecordInteraction(body, expectedVersion), cancellationToken));
    }

    [WolverinePost("/api/multilateral-acts", OperationId = "recordMultilateralAct")]
    [RecordingCommand(CommandBody.MultilateralAct)]
    public static async Task<IResult> RecordMultilateralAct(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        return Answer(await bus.InvokeAsync<RecordedResponse>(new RecordMultilateralAct(body, expectedVersion), cancellationToken));
    }

    [WolverinePost("/api/corrections", OperationId = "correctInteraction")]
    [RecordingCommand(CommandBody.Correction)]
    public static async Task<IResult> CorrectInteraction(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        return Answer(await bus.InvokeAsync<RecordedResponse>(new CorrectInteraction(body, expectedVersion), cancellationToken));
    }

    [WolverinePost("/api/retractions", OperationId = "retractInteraction")]
    [RecordingCommand(CommandBody.Retraction)]
    public static async Task<IResult> RetractInteraction(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        return Answer(await bus.InvokeAsync<RecordedResponse>(new RetractInteraction(body, expectedVersion), cancellationToken));
    }

    [WolverinePost("/api/merges", OperationId = "mergeInteractions")]
    [RecordingCommand(CommandBody.Merge)]
    public static async Task<IResult> MergeInteractions(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        return Answer(await bus.InvokeAsync<RecordedResponse>(new MergeInteractions(body, expectedVersion), cancellationToken));
    }

    private static IResult Answer(RecordedResponse recorded) =>
        recorded.Created
            ? TypedResults.Created($"/api/events/{recorded.Events[0].EventId:D}", recorded)
            : TypedResults.Ok(recorded);
}
