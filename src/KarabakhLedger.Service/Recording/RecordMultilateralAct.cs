using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Appending;
using KarabakhLedger.Service.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace KarabakhLedger.Service.Recording;

/// <summary>
/// Record one multilateral act: <see cref="Body"/> is one object of the recording format with <c>participants</c>
/// (and maybe <c>host</c>). It is fanned out atomically to every affected dyad; touching several streams, it takes no
/// expected version, and one given (<see cref="ExpectedVersion"/>) is refused rather than ignored.
/// </summary>
public sealed record RecordMultilateralAct(string Body, long? ExpectedVersion = null);

/// <summary>Handles <see cref="RecordMultilateralAct"/>.</summary>
public static class RecordMultilateralActHandler
{
    /// <summary>The decision, pure: validates the body (the recording format's rules, then: a multilateral act).</summary>
    public static LedgerAppend Decide(RecordMultilateralAct command, ActorRegistry actors)
    {
        if (command.ExpectedVersion is not null)
        {
            throw new Domain.Validation.LedgerValidationException("expectedVersion", "a multilateral act touches several dyad streams; it takes no expected version");
        }

        var recording = CommandInput.ParseOne(command.Body, actors);
        return recording is InteractionRecording act && CommandInput.IsMultilateral(act)
            ? new LedgerAppend([act], ExpectedVersion.Any)
            : throw CommandInput.WrongKind(recording);
    }

    public static Task<RecordedResponse> Handle(RecordMultilateralAct command, LedgerWriter writer, ActorRegistry actors, CancellationToken cancellationToken) =>
        writer.AppendAsync(Decide(command, actors), cancellationToken);
}

/// <summary><c>POST /api/multilateral-acts</c>: records one act among three or more participants, taken as <see cref="CommandHttp"/> takes every command.</summary>
public static class RecordMultilateralActEndpoint
{
    [WolverinePost("/api/multilateral-acts", OperationId = "recordMultilateralAct")]
    [RecordingCommand(CommandBody.MultilateralAct)]
    public static Task<IResult> Post(
        HttpRequest request, long? expectedVersion, IMessageBus bus, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken) =>
        CommandHttp.InvokeAsync(request, bus, options, body => new RecordMultilateralAct(body, expectedVersion), cancellationToken);
}
