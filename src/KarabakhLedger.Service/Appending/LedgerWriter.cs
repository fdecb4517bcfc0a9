using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Service.Following;
using Microsoft.Extensions.Logging;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// Carries out a <see cref="LedgerAppend"/>: one atomic append through <see cref="LedgerRecorder"/> (which checks
/// corrections and retractions against the ledger first), guarded by the expected version when there is one. Then it
/// wakes this node's subscriptions and the projection feed, so neither waits for its next poll.
/// </summary>
public sealed partial class LedgerWriter(
    ILedgerStore store,
    EventSerializer serializer,
    LedgerAppendSignal appended,
    LedgerProjections projections,
    TimeProvider clock,
    ILogger<LedgerWriter> log)
{
    /// <exception cref="Domain.Validation.LedgerValidationException">the ledger refused it; nothing was written.</exception>
    /// <exception cref="WrongExpectedVersionException">the stream was not at the expected version; nothing was written.</exception>
    /// <exception cref="EventIdConflictException">an event id is taken by other content; nothing was written.</exception>
    public async Task<RecordedResponse> AppendAsync(LedgerAppend append, CancellationToken cancellationToken)
    {
        using var span = Ledger.Telemetry.LedgerTelemetry.Start("ledger.command", System.Diagnostics.ActivityKind.Server);
        span?.SetTag("ledger.recordings", append.Recordings.Count);
        span?.SetTag("ledger.command", append.Recordings.Count == 1 ? append.Recordings[0].GetType().Name : "batch");
        var items = await new LedgerRecorder(store, serializer, clock).RecordAsync(append.Recordings, append.Expected, cancellationToken);
        appended.Notify();
        try
        {
            await projections.PokeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The feed polls the ledger anyway; a missed poke only delays the projection by one poll interval.
            LogPokeFailed(log, e);
        }

        return RecordedResponse.From(items.Single());
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not poke the projection feed after an append")]
    private static partial void LogPokeFailed(ILogger log, Exception exception);
}
