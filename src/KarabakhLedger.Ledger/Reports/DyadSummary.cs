using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Reports;

/// <summary>
/// One dyad at a glance, after corrections and retractions: how many interactions, over which dates, and how
/// many fall in each CAMEO QuadClass (1–2 cooperation, 3–4 conflict).
/// </summary>
public sealed record DyadSummary(Dyad Dyad, int Interactions, PartialDate? First, PartialDate? Last, IReadOnlyDictionary<QuadClass, int> ByQuadClass)
{
    public int Cooperation => ByQuadClass.GetValueOrDefault(QuadClass.VerbalCooperation) + ByQuadClass.GetValueOrDefault(QuadClass.MaterialCooperation);

    public int Conflict => ByQuadClass.GetValueOrDefault(QuadClass.VerbalConflict) + ByQuadClass.GetValueOrDefault(QuadClass.MaterialConflict);

    /// <summary>Summarises every dyad stream in the store, ordered by dyad key (once; <see cref="DyadSummaries"/> keeps them current).</summary>
    public static async Task<IReadOnlyList<DyadSummary>> ForAllAsync(ILedgerStore store, EventSerializer serializer, CancellationToken cancellationToken = default)
    {
        using var summaries = new DyadSummaries(store, serializer);
        return await summaries.CurrentAsync(cancellationToken);
    }

    public static DyadSummary Summarise(Dyad dyad, DyadHistory history)
    {
        var current = history.Current.ToArray();
        var dates = current.Select(c => c.Facts.OccurredOn).Order().ToArray();
        var byQuad = current
            .GroupBy(c => CameoCatalog.Default.Get(c.Facts.CameoCode).QuadClass)
            .ToDictionary(g => g.Key, g => g.Count());
        return new DyadSummary(dyad, current.Length, dates.Length > 0 ? dates[0] : null, dates.Length > 0 ? dates[^1] : null, byQuad);
    }
}
