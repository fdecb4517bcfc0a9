using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Reports;

/// <summary>
/// Every dyad's <see cref="DyadSummary"/>, kept current by reading only what was appended since the last call: the
/// first call reads the whole ledger, each later one the events after the last position it read, and summarises
/// again only the dyads they touched. Safe to share: calls are taken one at a time. It trusts the store's order (an
/// overview, not an audit; `ledger verify` is that).
/// </summary>
public sealed class DyadSummaries(ILedgerStore store, EventSerializer serializer) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (Dyad Dyad, DyadHistory History)> _histories = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, DyadSummary> _summaries = new(StringComparer.Ordinal);
    private long _position;

    /// <summary>Every dyad stream's summary as of the ledger's head now, ordered by dyad key.</summary>
    public async Task<IReadOnlyList<DyadSummary>> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var touched = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var stored in store.ReadAllAsync(_position, cancellationToken))
            {
                if (Dyad.TryFromStreamId(stored.StreamId, out var dyad))
                {
                    var (_, history) = _histories.GetValueOrDefault(dyad.Key, (dyad, DyadHistory.Empty));
                    _histories[dyad.Key] = (dyad, history.Apply(serializer.Deserialize(stored.Type, stored.SchemaVersion, stored.Data)));
                    touched.Add(dyad.Key);
                }

                _position = stored.Position;
            }

            foreach (var key in touched)
            {
                var (dyad, history) = _histories[key];
                _summaries[key] = DyadSummary.Summarise(dyad, history);
            }

            return [.. _summaries.Values];
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
