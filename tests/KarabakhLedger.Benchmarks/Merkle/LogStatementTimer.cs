using System.Diagnostics;

namespace KarabakhLedger.Benchmarks.Merkle;

/// <summary>
/// The PostgreSQL share of the Merkle log's work inside an append, timed by phase: Npgsql reports each command it
/// runs as an <see cref="Activity"/> of its <c>Npgsql</c> source, with the SQL text; every command that names a table
/// of the log (<c>ledger_log_leaves</c>, <c>ledger_log_nodes</c>: the size query, the frontier's nodes, the catch-up
/// query, the inserts of leaves and nodes) is the log's, and its wall time is added up here. Nothing is changed in the
/// store: it runs as users run it, and only listens.
/// </summary>
internal sealed class LogStatementTimer : IDisposable
{
    private readonly ActivityListener _listener;
    private long _ticks;
    private long _statements;
    private long _all;

    public LogStatementTimer()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Wall time of the log's commands since the last <see cref="Reset"/>.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>How many of the commands seen were the log's.</summary>
    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>How many commands were seen in all (zero means the listener heard nothing, and the timing is void).</summary>
    public long AllStatements => Interlocked.Read(ref _all);

    public void Reset()
    {
        Interlocked.Exchange(ref _ticks, 0);
        Interlocked.Exchange(ref _statements, 0);
        Interlocked.Exchange(ref _all, 0);
    }

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        Interlocked.Increment(ref _all);
        var sql = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? "";
        if (sql.Contains("ledger_log_", StringComparison.Ordinal))
        {
            Interlocked.Add(ref _ticks, activity.Duration.Ticks);
            Interlocked.Increment(ref _statements);
        }
    }
}
