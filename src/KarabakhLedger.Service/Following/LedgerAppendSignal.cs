
namespace KarabakhLedger.Service.Following;

/// <summary>
/// Tells this node's followers of the ledger (subscriptions, the message publisher) that something was appended
/// through this node, so they read at once. Appends through other nodes are found by polling.
/// </summary>
public sealed class LedgerAppendSignal
{
    private TaskCompletionSource _next = New();

    /// <summary>Wakes every current waiter.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    /// <summary>Completes at the next <see cref="Notify"/>, or after <paramref name="timeout"/> by <paramref name="clock"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, clock, cancel.Token);
        await Task.WhenAny(next, delay);
        await cancel.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
