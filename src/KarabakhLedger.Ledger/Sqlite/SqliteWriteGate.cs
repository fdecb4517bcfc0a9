namespace KarabakhLedger.Ledger.Sqlite;

/// <summary>
/// Lets the writers of one process reach a SQLite file one at a time, the others waiting asynchronously. SQLite has
/// one write lock, and Microsoft.Data.Sqlite waits for a busy one by blocking its thread in 150 ms sleeps, which
/// on a server's thread pool stalls everything else. Writers in other processes still meet the busy wait.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task RunAsync(Func<Task> write, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await write();
            return true;
        }, cancellationToken);

    public void Dispose() => _gate.Dispose();
}
