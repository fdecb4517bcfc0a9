using System.Runtime.CompilerServices;

namespace KarabakhLedger.Ledger.Store;

/// <summary>
/// How both stores read a long sequence (a stream, the ledger, the log's leaves): page by page along an ascending
/// key, each page asked for from the key that follows the last row read, until a page comes back short.
/// </summary>
internal static class KeysetPages
{
    /// <param name="first">the key the first page starts from, as <paramref name="readPageFrom"/> understands it.</param>
    /// <param name="readPageFrom">at most <paramref name="pageSize"/> rows from a key on, in key order.</param>
    /// <param name="keyAfter">the key the page after a row starts from.</param>
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        long first,
        Func<long, CancellationToken, Task<List<T>>> readPageFrom,
        Func<T, long> keyAfter,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = first;
        while (true)
        {
            var page = await readPageFrom(from, cancellationToken);
            foreach (var row in page)
            {
                yield return row;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            from = keyAfter(page[^1]);
        }
    }
}
