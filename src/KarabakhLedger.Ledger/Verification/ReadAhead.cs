using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace KarabakhLedger.Ledger.Verification;

/// <summary>
/// A source read on its own task, in chunks, each chunk processed on the thread pool as soon as it is read, and the
/// processed chunks handed out in the source's order: the reading, the processing of several chunks and the
/// consumer's own pass all run at once, with at most <see cref="Depth"/> chunks waiting. Whatever the source or a
/// chunk's processing throws reaches the consumer at that chunk; a consumer that stops early stops the reading.
/// </summary>
internal static class ReadAhead
{
    public const int Depth = 4;

    public static async IAsyncEnumerable<TChunk> ChunksAsync<T, TChunk>(
        IAsyncEnumerable<T> source, int chunkSize, Func<List<T>, CancellationToken, TChunk> process,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var chunks = Channel.CreateBounded<Task<TChunk>>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAsync(source, chunkSize, process, chunks.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await chunks.Reader.WaitToReadAsync(cancellationToken))
            {
                while (chunks.Reader.TryRead(out var chunk))
                {
                    yield return await chunk;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
            while (chunks.Reader.TryRead(out var left))
            {
                await left.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private static async Task ReadAsync<T, TChunk>(
        IAsyncEnumerable<T> source, int chunkSize, Func<List<T>, CancellationToken, TChunk> process, ChannelWriter<Task<TChunk>> chunks, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = new List<T>(chunkSize);
            await foreach (var item in source.WithCancellation(cancellationToken))
            {
                buffer.Add(item);
                if (buffer.Count == chunkSize)
                {
                    var full = buffer;
                    buffer = new List<T>(chunkSize);
                    await chunks.WriteAsync(Task.Run(() => process(full, cancellationToken), cancellationToken), cancellationToken);
                }
            }

            if (buffer.Count > 0)
            {
                await chunks.WriteAsync(Task.Run(() => process(buffer, cancellationToken), cancellationToken), cancellationToken);
            }

            chunks.Complete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            chunks.TryComplete();
        }
        catch (Exception e)
        {
            chunks.TryComplete(e);
        }
    }
}
