using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>
/// One Server-Sent Event: the position its id names, event name and data; <see cref="RawId"/> is the id as sent
/// (<c>P</c>, or <c>P:k</c> for a further change at position P).
/// </summary>
public sealed record SseMessage(long Id, string Event, string Data, string RawId);

/// <summary>A minimal SSE reader (the text/event-stream format): enough for the service's messages.</summary>
public static class SseClient
{
    public static IAsyncEnumerable<SseMessage> ReadAsync(HttpClient client, string url, long? lastEventId, CancellationToken cancellationToken) =>
        ReadAfterAsync(client, url, lastEventId?.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>The messages after the SSE id <paramref name="lastEventId"/> as sent (<c>P</c> or <c>P:k</c>); from the start when null.</summary>
    public static async IAsyncEnumerable<SseMessage> ReadAfterAsync(
        HttpClient client, string url, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? eventId = null, name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (eventId is not null)
                {
                    var position = eventId.Split(':')[0];
                    yield return new SseMessage(long.Parse(position, System.Globalization.CultureInfo.InvariantCulture), name ?? "message", data.ToString(), eventId);
                }

                (eventId, name) = (null, null);
                data.Clear();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }
    }
}
