using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Projection;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Service.Subscriptions;

/// <summary>
/// Derives <see cref="RelationshipScoreChanged"/> messages from the ledger's global order, for the dyads a
/// <see cref="Filter"/> admits, strictly after <see cref="Position"/>. Each call of <see cref="ReadAsync"/> reads
/// from where the previous one stopped, so a follower calls it again whenever there may be more. A dyad's events
/// before the first one read are loaded from its own stream when it first appears, so starting at any position needs
/// no pass over the ledger.
/// </summary>
public sealed class ScoreChangeReader(ILedgerStore store, EventSerializer serializer, ScoringModel model, IReadOnlySet<string>? filter, long after)
{
    private readonly Dictionary<string, DyadEvents> _dyads = new(StringComparer.Ordinal);

    /// <summary>The dyad keys followed; null for all.</summary>
    public IReadOnlySet<string>? Filter { get; } = filter;

    /// <summary>The global position of the last event read (messages are only made for events after it).</summary>
    public long Position { get; private set; } = after;

    /// <summary>The messages for events after <see cref="Position"/> up to the ledger's end now, in order.</summary>
    public async IAsyncEnumerable<RelationshipScoreChanged> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var stored in store.ReadAllAsync(Position, cancellationToken))
        {
            Position = stored.Position;
            if (!Dyad.TryFromStreamId(stored.StreamId, out var dyad) || Filter?.Contains(dyad.Key) == false)
            {
                continue;
            }

            var events = _dyads.TryGetValue(dyad.Key, out var known) ? known : await LoadBeforeAsync(dyad, stored.Position, cancellationToken);
            events = events.Apply(Project(stored));
            _dyads[dyad.Key] = events;
            yield return Change(events, stored);
        }
    }

    private RelationshipScoreChanged Change(DyadEvents events, StoredEvent cause)
    {
        var knownAt = events.ByPosition.Values.Max(e => e.RecordedAt);
        var result = Scorer.Score(events, new ScoreQuery(DateOnly.FromDateTime(knownAt.UtcDateTime), knownAt), model);
        return new RelationshipScoreChanged(
            cause.Position, result.Dyad, cause.EventId, cause.Type, model.Key, result.AsOf, result.KnownAt,
            result.Score, result.Cooperation, result.Conflict, result.Net, result.Events, result.Digest);
    }

    private async Task<DyadEvents> LoadBeforeAsync(Dyad dyad, long position, CancellationToken cancellationToken)
    {
        var events = DyadEvents.Empty(dyad);
        await foreach (var stored in store.ReadStreamAsync(dyad.StreamId, 1, cancellationToken))
        {
            if (stored.Position >= position)
            {
                break;
            }

            events = events.Apply(Project(stored));
        }

        return events;
    }

    private ProjectedEvent Project(StoredEvent e) =>
        new(e.Position, e.StreamVersion, e.RecordedAt, e.Hash, serializer.Deserialize(e.Type, e.SchemaVersion, e.Data));
}
