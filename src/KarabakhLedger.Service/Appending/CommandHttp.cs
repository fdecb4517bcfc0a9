using KarabakhLedger.Service.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// How every command is taken over HTTP. It takes one object of the recording format (docs/recording-format.md) as
/// its JSON body and hands it to its Wolverine handler. 201 with the appended events (200 when the same object was
/// already recorded); 400 naming every bad field and its rule; 409 when the dyad stream is not at
/// <c>expectedVersion</c> or an event id is taken; 413 for a body over the limit. A refused command writes nothing.
/// </summary>
public static class CommandHttp
{
    public static async Task<IResult> InvokeAsync<TCommand>(
        HttpRequest request, IMessageBus bus, IOptions<LedgerServiceOptions> options, Func<string, TCommand> command, CancellationToken cancellationToken)
        where TCommand : notnull
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        var recorded = await bus.InvokeAsync<RecordedResponse>(command(body), cancellationToken);
        return recorded.Created
            ? TypedResults.Created($"/api/events/{recorded.Events[0].EventId:D}", recorded)
            : TypedResults.Ok(recorded);
    }
}
