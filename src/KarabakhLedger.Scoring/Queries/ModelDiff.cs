using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Scoring.Queries;

/// <summary>One period under two models: each model's point and the difference of their nets (<c>against</c> minus <c>model</c>).</summary>
public sealed record ModelDiffPoint(string Label, DateOnly Start, DateOnly End, TimelinePoint Model, TimelinePoint Against, decimal NetDifference);

/// <summary>
/// The same dyad, history and bitemporal point under two scoring models, period by period: what
/// <c>GET /api/dyads/{dyad}/diff</c> answers and <c>ledger diff</c> prints.
/// </summary>
public sealed record ModelDiff(
    string Dyad, Bucket Bucket, DateOnly AsOf, DateTimeOffset KnownAt, ModelDescriptor Model, ModelDescriptor Against, string Provenance,
    IReadOnlyList<ModelDiffPoint> Points)
{
    /// <summary>Two timelines of the same dyad, periods and bitemporal point, <paramref name="model"/>'s and <paramref name="against"/>'s.</summary>
    public static ModelDiff Between(TimelineResult model, TimelineResult against)
    {
        if (model.Dyad != against.Dyad || model.Bucket != against.Bucket || model.AsOf != against.AsOf || model.KnownAt != against.KnownAt
            || !model.Points.Select(p => p.Start).SequenceEqual(against.Points.Select(p => p.Start)))
        {
            throw new ArgumentException("The two timelines must be of the same dyad, periods and bitemporal point.", nameof(against));
        }

        var points = model.Points.Zip(against.Points, (x, y) => new ModelDiffPoint(x.Label, x.Start, x.End, x, y, y.Net - x.Net)).ToList();
        return new ModelDiff(model.Dyad, model.Bucket, model.AsOf, model.KnownAt, model.Model, against.Model, model.Provenance, points);
    }
}
