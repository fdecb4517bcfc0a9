using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace KarabakhLedger.Benchmarks.Service;

/// <summary>
/// A subscriber of <c>GET /api/subscriptions/scores</c> that notes, for every message, the <see cref="Stopwatch"/>
/// timestamp at which its closing blank line was read (the message complete), by its id (the global position).
/// </summary>
internal sealed class SseProbe(HttpClient client, string url, long lastEventId)
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Url { get; } = url;

    /// <summary>Arrival timestamp per message id.</summary>
    public ConcurrentDictionary<long, long> Arrivals { get; } = new();

    /// <summary>The ids in the order they came.</summary>
    public ConcurrentQueue<long> Order { get; } = new();

    /// <summary>Completes when the response headers and the first line (the ": following after" comment) have come.</summary>
    public Task Connected => _connected.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            request.Headers.Add("Last-Event-ID", lastEventId.ToString(CultureInfo.InvariantCulture));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            long? id = null;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                _connected.TrySetResult();
                if (line.Length == 0)
                {
                    if (id is { } complete)
                    {
                        Arrivals[complete] = Stopwatch.GetTimestamp();
                        Order.Enqueue(complete);
                    }

                    id = null;
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _connected.TrySetException(e);
            throw;
        }
    }
}
