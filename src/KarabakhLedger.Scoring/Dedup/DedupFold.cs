using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Scoring.Dedup;

/// <summary>An interaction that counts before dedup: its current facts, and its place in the global order.</summary>
public sealed record DedupCandidate(InteractionEvent Recorded, InteractionFacts Facts, long Position)
{
    public Guid EventId => Recorded.EventId;
}

/// <summary>Why an interaction that would have counted did not: the rule (or <c>merged</c>), and the kept interaction it is one with.</summary>
public sealed record DedupVerdict(DedupCandidate SetAside, string Rule, Guid KeptEventId, Guid? MergeEventId, string Reason);

/// <summary>
/// The one place dedup is decided, for scores, derivations and aggregates alike. First the analysts' merges: the
/// interactions one or more merges join (transitively) count once, as the earliest of them that counts. Then the
/// model's rules, in the model's order, over what is left: of the interactions a rule gives one key, the earliest
/// counts. "Earliest" is by global position. Only candidates (what counts before dedup) are judged.
/// </summary>
public static class DedupFold
{
    public static (IReadOnlyList<DedupCandidate> Kept, IReadOnlyList<DedupVerdict> SetAside) Apply(
        IEnumerable<DedupCandidate> candidates, IEnumerable<InteractionsMerged> merges, IReadOnlyList<DedupRule> rules)
    {
        var remaining = candidates.OrderBy(c => c.Position).ToList();
        var setAside = new List<DedupVerdict>();
        var groups = MergeGroups(merges);
        if (groups.Count > 0)
        {
            var kept = new Dictionary<Guid, DedupCandidate>();
            foreach (var c in remaining.ToArray())
            {
                if (!groups.TryGetValue(c.EventId, out var group))
                {
                    continue;
                }

                if (kept.TryGetValue(group.Root, out var first))
                {
                    remaining.Remove(c);
                    setAside.Add(new DedupVerdict(c, DedupRules.Merged, first.EventId, group.MergeEventId,
                        $"merged by {group.MergeEventId} with {first.EventId}"));
                }
                else
                {
                    kept[group.Root] = c;
                }
            }
        }

        foreach (var rule in rules)
        {
            var firstByKey = new Dictionary<string, DedupCandidate>(StringComparer.Ordinal);
            foreach (var c in remaining.ToArray())
            {
                if (rule.KeyOf(c.Recorded, c.Facts) is not { } key)
                {
                    continue;
                }

                if (firstByKey.TryGetValue(key, out var first))
                {
                    remaining.Remove(c);
                    setAside.Add(new DedupVerdict(c, rule.Key, first.EventId, null, $"{rule.Meaning} as {first.EventId}"));
                }
                else
                {
                    firstByKey[key] = c;
                }
            }
        }

        return (remaining, setAside);
    }

    /// <summary>For each merged interaction: its group (the root of the merges joining it) and the first merge naming it.</summary>
    private static Dictionary<Guid, (Guid Root, Guid MergeEventId)> MergeGroups(IEnumerable<InteractionsMerged> merges)
    {
        var parent = new Dictionary<Guid, Guid>();
        var namedBy = new Dictionary<Guid, Guid>();
        Guid Find(Guid id)
        {
            while (parent.TryGetValue(id, out var up) && up != id)
            {
                id = up;
            }

            return id;
        }

        foreach (var merge in merges)
        {
            foreach (var id in merge.MergedEventIds)
            {
                parent.TryAdd(id, id);
                namedBy.TryAdd(id, merge.EventId);
                parent[Find(id)] = Find(merge.MergedEventIds[0]);
            }
        }

        return parent.Keys.ToDictionary(id => id, id => (Find(id), namedBy[id]));
    }
}
