using KarabakhLedger.Domain.Validation;
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
internal sealed class ProblemResponses(IProblemDetailsService problems, ILogger<ProblemResponses> log) : IExceptionHandler
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
            log.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    /// <summary>The problem for <paramref name="exception"/>; a refused query (<paramref name="readOnly"/>) does not claim that nothing was written.</summary>
    private static ProblemDetails Describe(Exception exception, bool readOnly) => exception switch
    {
        LedgerValidationException v => new HttpValidationProblemDetails(
            v.Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Rule).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = readOnly ? "The request was refused." : "The request was refused; nothing was written.",
            Detail = string.Join("; ", v.Errors),
        },
        WrongExpectedVersionException w => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The dyad stream is not at the expected version; nothing was written.",
            Detail = $"The stream is at version {w.Actual}, not the expected {w.Expected}: reload it and try again.",
            Extensions = { ["actualVersion"] = w.Actual, ["expectedVersion"] = w.Expected.Value },
        },
        EventIdConflictException c => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The event id is taken; nothing was written.",
            Detail = c.Message,
        },
        BadHttpRequestException b => new ProblemDetails
        {
            Status = b.StatusCode,
            Title = b.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request is malformed.",
        },
        LedgerStoreUnavailableException or ProjectionFeedStalledException => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The ledger is unavailable; try again later.",
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "An unexpected error occurred.",
        },
    };
}
