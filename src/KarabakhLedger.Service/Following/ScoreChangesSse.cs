using System.Globalization;
using System.Text.Json;
using KarabakhLedger.Domain.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KarabakhLedger.Service.Following;

/// <summary>
/// Writes a <see cref="ScoreChangeFollower"/>'s changes as Server-Sent Events until the client goes away: each as
/// <c>id: &lt;position&gt;</c> (<c>&lt;position&gt;:&lt;k&gt;</c> for a further change at one position),
/// <c>event: relationship-score-changed</c> and the JSON message as <c>data</c>. When the follower reaches the end of
/// the change log it waits for the live feed to deliver more (at most the poll interval), sending a comment line after
/// each idle heartbeat interval so proxies keep the connection. It ends when the node stops, so a
/// subscriber does not hold up a shutdown; it reconnects (to any node) with Last-Event-ID.
/// </summary>
public sealed class ScoreChangesSse(ScoreChangeFollower follower, TimeProvider clock, TimeSpan pollInterval, TimeSpan heartbeat)
    : IResult
{
    public const string EventName = "relationship-score-changed";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var lifetime = httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
        var stopping = ending.Token;
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        Ledger.Telemetry.LedgerTelemetry.Subscribers.Add(1);
        try
        {
            await response.WriteAsync($": following after {ChangeCursor.Id(follower.Cursor.Position, follower.Cursor.Seen == int.MaxValue ? 0 : follower.Cursor.Seen - 1)}\n\n", stopping);
            await response.Body.FlushAsync(stopping);
            var idleSince = clock.GetTimestamp();
            while (!stopping.IsCancellationRequested)
            {
                var changes = await follower.ReadAsync(stopping);
                foreach (var change in changes)
                {
                    await response.WriteAsync(Format(change), stopping);
                    Ledger.Telemetry.LedgerTelemetry.ChangesSent.Add(1);
                }

                if (changes.Count > 0)
                {
                    await response.Body.FlushAsync(stopping);
                    idleSince = clock.GetTimestamp();
                }
                else if (clock.GetElapsedTime(idleSince) >= heartbeat)
                {
                    await response.WriteAsync(": heartbeat\n\n", stopping);
                    await response.Body.FlushAsync(stopping);
                    idleSince = clock.GetTimestamp();
                }

                if (changes.Count < ScoreChangeFollower.PageSize)
                {
                    await follower.WaitAsync(pollInterval, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The subscriber went away, or the node is stopping; it resumes with Last-Event-ID.
        }
        catch (IOException) when (stopping.IsCancellationRequested)
        {
            // Same: the connection closed while writing.
        }
        finally
        {
            Ledger.Telemetry.LedgerTelemetry.Subscribers.Add(-1);
        }
    }

    /// <summary>One SSE message: id, event name and the change as one line of JSON.</summary>
    public static string Format(FollowedChange change) =>
        $"id: {change.Id}\nevent: {EventName}\ndata: {JsonSerializer.Serialize(change.Message, LedgerJson.Options)}\n\n";
}
