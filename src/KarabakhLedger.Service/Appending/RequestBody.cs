using KarabakhLedger.Domain.Recording;
using Microsoft.AspNetCore.Http;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// Reads a command's JSON body as text by <see cref="RecordingText"/>'s rule, refusing one larger than the configured
/// limit with 413.
/// </summary>
public static class RequestBody
{
    /// <exception cref="BadHttpRequestException">the body is larger than <paramref name="limit"/> bytes (status 413).</exception>
    public static async Task<string> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return RecordingText.FromUtf8(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static BadHttpRequestException TooLarge(long limit) =>
        new($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
}
