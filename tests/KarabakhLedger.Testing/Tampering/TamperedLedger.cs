using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Testing.Tampering;

/// <summary>How a stored row is damaged so that it no longer reads as an event.</summary>
public sealed record Corruption(string Name, string ExpectedProblem);

/// <summary>
/// A ledger of one store kind that a test can open through the ledger and change behind its back with raw SQL, as an
/// attacker with write access to the database would.
/// </summary>
public abstract class TamperedLedger : IAsyncDisposable
{
    /// <summary>Opens the ledger through its own store (which also brings the stored Merkle log up to the events).</summary>
    public abstract Task<ILedgerStore> OpenAsync();

    /// <summary>Deletes the row at <paramref name="position"/>.</summary>
    public abstract Task DeleteAsync(long position);

    /// <summary>Deletes every row of <paramref name="streamId"/>, as a whole stream is deleted in this store.</summary>
    public abstract Task DeleteStreamAsync(string streamId);

    /// <summary>Gives the rows at positions <paramref name="a"/> and <paramref name="b"/> each other's position.</summary>
    public abstract Task SwapPositionsAsync(long a, long b);

    /// <summary>Inserts a row for <paramref name="e"/> (position, stream, version, id, content, time, hashes) as the store would have written it.</summary>
    public abstract Task InsertAsync(StoredEvent e);

    /// <summary>Empties the stored Merkle log, so that the next open rebuilds it from the events as they are now.</summary>
    public abstract Task DropLogAsync();

    /// <summary>
    /// Writes the row of inner node <paramref name="id"/> of the stored Merkle log with <paramref name="hash"/>,
    /// replacing the row that is there: a node row as the store writes it, or (levels 1 to 3) as it wrote them before
    /// ADR 29.
    /// </summary>
    public abstract Task WriteNodeAsync(NodeId id, byte[] hash);

    /// <summary>The ways this store's rows can be damaged.</summary>
    public abstract IReadOnlyList<Corruption> Corruptions { get; }

    public abstract Task CorruptAsync(long position, Corruption corruption);

    public abstract ValueTask DisposeAsync();
}
