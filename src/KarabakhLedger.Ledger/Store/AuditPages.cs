using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace KarabakhLedger.Ledger.Store;

/// <summary>
/// How both stores read their rows for an audit: page by page in position order, the next page's query running
/// while the current page's rows are taken apart on every core. Taking a row apart (its JSON, its fields, each
/// problem named) is a pure function of the columns read, so the rows come out exactly as a row-by-row read gives
/// them, in the same order.
/// </summary>
internal static class AuditPages
{
    public static async IAsyncEnumerable<AuditRow> ReadAsync<TColumns>(
        Func<long, CancellationToken, Task<List<TColumns>>> readPageAfter,
        Func<TColumns, long> positionOf,
        Func<TColumns, AuditRow> takeApart,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Task<List<TColumns>>? next = readPageAfter(long.MinValue, cancellationToken);
        try
        {
            while (next is not null)
            {
                var page = await next;
                next = page.Count < pageSize ? null : readPageAfter(positionOf(page[^1]), cancellationToken);
                var rows = new AuditRow[page.Count];
                Parallel.For(0, page.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => rows[i] = takeApart(page[i]));
                foreach (var row in rows)
                {
                    yield return row;
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Whether a stored text is JSON, as <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/> would accept
    /// it, told by one reader pass with no document. Text that is not valid UTF-16 (a lone surrogate) is not JSON.
    /// </summary>
    public static bool IsJson(string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Strict.GetMaxByteCount(text.Length));
        try
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(0, Strict.GetBytes(text, buffer)));
            while (reader.Read())
            {
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or EncoderFallbackException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
