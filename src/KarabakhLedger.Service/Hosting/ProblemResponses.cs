using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// Turns every exception that reaches the pipeline into RFC 7807 problem details: refused input 400 with an
/// <c>errors</c> object (field path → rules), concurrency conflicts 409, oversized bodies 413, an unreachable store
/// 503, anything else 500. Bodies never carry exception text from inside the service (no stack traces, no paths);
/// the log has the full exception.
/// </summary>
internal sealed partial class ProblemResponses(IProblemDetailsService problems, ILogger<ProblemResponses> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        var problem = Describe(exception, HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method));
        if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            LogRequestFailed(log, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    /// <summary>
    /// The problem for <paramref name="exception"/>: the ledger's own failures in the CLI's words
    /// (<see cref="LedgerFailure"/>); a refused query (<paramref name="readOnly"/>) does not claim that nothing was
    /// written. An unreachable store's message stays in the log: it names hosts and files.
    /// </summary>
    private static ProblemDetails Describe(Exception exception, bool readOnly) => LedgerFailure.Of(exception, writes: !readOnly) switch
    {
        { Kind: LedgerFailureKind.InvalidInput } refused => new HttpValidationProblemDetails(
            refused.Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Rule).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = refused.Title,
            Detail = string.Join("; ", refused.Errors),
        },
        { Kind: LedgerFailureKind.Conflict } conflict => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = conflict.Title,
            Detail = conflict.Detail,
            Extensions = exception is WrongExpectedVersionException w
                ? new Dictionary<string, object?>(StringComparer.Ordinal) { ["actualVersion"] = w.Actual, ["expectedVersion"] = w.Expected.Value }
                : new Dictionary<string, object?>(StringComparer.Ordinal),
        },
        { Kind: LedgerFailureKind.Unavailable } => Unavailable(),
        _ => exception switch
        {
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode,
                Title = b.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request is malformed.",
            },
            ProjectionFeedStalledException => Unavailable(),
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
            },
        },
    };

    private static ProblemDetails Unavailable() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "The ledger is unavailable; try again later.",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogRequestFailed(ILogger log, Exception exception, string method, PathString path);
}
