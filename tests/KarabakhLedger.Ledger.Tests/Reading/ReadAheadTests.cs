using KarabakhLedger.Ledger.Verification;

namespace KarabakhLedger.Ledger.Tests.Reading;

/// <summary>
/// Verify's read-ahead: chunks come out in the source's order however long each takes to process, a failure of the
/// source reaches the consumer, and a consumer that stops early stops the reading instead of leaving it running.
/// </summary>
public sealed class ReadAheadTests
{
    [Fact]
    public async Task Chunks_come_out_in_order_however_long_each_takes()
    {
        var read = new List<int>();
        await foreach (var chunk in ReadAhead.ChunksAsync(Numbers(1000), 7, (items, _) =>
        {
            // Earlier chunks take longer, so later ones finish first.
            Thread.SpinWait((1000 - items[0]) * 50);
            return items.ToArray();
        }))
        {
            read.AddRange(chunk);
        }

        Assert.Equal(Enumerable.Range(0, 1000), read);
    }

    [Fact]
    public async Task A_failure_of_the_source_reaches_the_consumer_after_the_chunks_before_it()
    {
        var read = new List<int>();
        var failure = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var chunk in ReadAhead.ChunksAsync(FailingAfter(20), 5, (items, _) => items.ToArray()))
            {
                read.AddRange(chunk);
            }
        });

        Assert.Equal("row 20 is unreadable", failure.Message);
        Assert.Equal(Enumerable.Range(0, 20), read);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_stops_the_reading()
    {
        var produced = 0;
        var endless = Endless(() => Interlocked.Increment(ref produced));

        await foreach (var chunk in ReadAhead.ChunksAsync(endless, 10, (items, _) => items.ToArray()))
        {
            Assert.Equal(0, chunk[0]);
            break;
        }

        // At most: the chunk consumed, the chunks waiting, one being handed over and one being gathered. Had the
        // reading not stopped, the loop would never have ended (the reading is awaited when the consumer leaves).
        var afterStop = Volatile.Read(ref produced);
        Assert.True(afterStop <= 10 * (ReadAhead.Depth + 3), $"{afterStop} items were read for one chunk consumed");
    }

    private static async IAsyncEnumerable<int> Numbers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> FailingAfter(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new InvalidDataException($"row {count} is unreadable");
    }

    private static async IAsyncEnumerable<int> Endless(Func<int> count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; ; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            count();
            yield return i;
        }
    }
}
