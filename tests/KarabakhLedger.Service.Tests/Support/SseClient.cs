using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>One Server-Sent Event: its id, event name and data.</summary>
public sealed record SseMessage(long Id, string Event, string Data);

/// <summary>A minimal SSE reader (the text/event-stream format): enough for the service's messages.</summary>
public static class SseClient
{
    public static async IAsyncEnumerable<SseMessage> ReadAsync(
        HttpClient client, string url, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
                    yield return new SseMessage(long.Parse(eventId, System.Globalization.CultureInfo.InvariantCulture), name ?? "message", data.ToString());
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
