using System.Net.Sockets;
using KarabakhLedger.Ledger.Store;
using Npgsql;

namespace KarabakhLedger.Ledger.Marten;

/// <summary>
/// Says in one line why PostgreSQL could not be used: not reachable, login refused, no such database, and so on.
/// Lines name the host, port, database and user, never the password, and carry no stack trace.
/// </summary>
internal sealed class ConnectionFailure(NpgsqlConnectionStringBuilder target)
{
    private string Where => $"{target.Host}:{target.Port}";

    /// <summary>
    /// The failure as a <see cref="LedgerStoreUnavailableException"/> when it means the server cannot be used, or
    /// null when it is something else (a constraint, a bug, a cancellation). While <paramref name="opening"/>, any
    /// error PostgreSQL reports means the ledger cannot be opened; afterwards only connection-level errors do.
    /// </summary>
    public LedgerStoreUnavailableException? Describe(Exception failure, bool opening)
    {
        var line = Explain(failure, opening);
        return line is null ? null : new LedgerStoreUnavailableException(line, failure);
    }

    private string? Explain(Exception failure, bool opening)
    {
        if (failure is OperationCanceledException)
        {
            return null;
        }

        var chain = Chain(failure).ToList();
        if (chain.OfType<PostgresException>().FirstOrDefault() is { } refused)
        {
            return ExplainRefusal(refused, opening);
        }

        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return $"Cannot reach PostgreSQL at {Where}: {SocketReason(socket)}";
        }

        if (chain.OfType<NpgsqlException>().FirstOrDefault() is not { } npgsql)
        {
            return null;
        }

        if (chain.OfType<TimeoutException>().Any())
        {
            return $"Cannot reach PostgreSQL at {Where}: timed out waiting for an answer";
        }

        if (npgsql.Message.Contains("No password has been provided", StringComparison.Ordinal))
        {
            return $"PostgreSQL at {Where} refused the login for user '{target.Username}': it requires a password and none was given";
        }

        return chain.Any(e => e is IOException or EndOfStreamException) || opening
            ? $"Cannot reach PostgreSQL at {Where}: {OneLine(npgsql.Message)}"
            : null;
    }

    private string? ExplainRefusal(PostgresException e, bool opening) => e.SqlState switch
    {
        PostgresErrorCodes.InvalidPassword =>
            $"PostgreSQL at {Where} refused the login for user '{target.Username}': wrong password",
        PostgresErrorCodes.InvalidAuthorizationSpecification =>
            $"PostgreSQL at {Where} refused the login for user '{target.Username}': {OneLine(e.MessageText)}",
        PostgresErrorCodes.InvalidCatalogName =>
            $"PostgreSQL at {Where} has no database '{target.Database}'",
        PostgresErrorCodes.TooManyConnections =>
            $"PostgreSQL at {Where} has no free connection: {OneLine(e.MessageText)}",
        PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown =>
            $"PostgreSQL at {Where} is not available: {OneLine(e.MessageText)}",
        _ when e.SqlState.StartsWith("08", StringComparison.Ordinal) =>
            $"Cannot reach PostgreSQL at {Where}: {OneLine(e.MessageText)}",
        _ when opening =>
            $"PostgreSQL at {Where} could not open the ledger in database '{target.Database}': {OneLine(e.MessageText)} ({e.SqlState})",
        _ => null,
    };

    private static string SocketReason(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "unknown host",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => "no route to the host",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "the connection was dropped",
        _ => OneLine(e.Message),
    };

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
