using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Scoring.Changes;

/// <summary>
/// Scores the two sides of a dyad's successive changes (docs/adr/0024-incremental-change-log.md). A side that is the
/// dyad's own derivation alone, and the same instance as the side scored last (<see cref="OwnDerivations"/> hands out
/// one instance per events and question), is not scored again: the previous change's "after" is mostly this one's
/// "before". With roll-ups (other streams' sets) every side is scored. Not thread-safe: one grain activation uses it.
/// </summary>
public sealed class ChangeSides
{
    private (ContributionSet Own, ScoreSide Side)? _last;

    /// <summary>The side <paramref name="own"/> and <paramref name="others"/> make at <paramref name="query"/>.</summary>
    public ScoreSide Of(ScoreQuery query, ScoringModel model, ContributionSet own, IEnumerable<ContributionSet> others)
    {
        IReadOnlyList<ContributionSet> sets = [own, .. others];
        if (sets.Count == 1 && _last is { } last && ReferenceEquals(last.Own, own))
        {
            return last.Side;
        }

        var side = ScoreSide.Of(query, model, sets);
        _last = sets.Count == 1 ? (own, side) : null;
        return side;
    }

    /// <summary>Forgets the side scored last (the stream is being rebuilt).</summary>
    public void Clear() => _last = null;
}
