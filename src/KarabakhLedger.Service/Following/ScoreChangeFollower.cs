using System.Globalization;
using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Storage;
using KarabakhLedger.Service.Publishing;

namespace KarabakhLedger.Service.Following;

/// <summary>
/// Where a follower of the change log stands: after the first <see cref="Seen"/> changes (of the followed dyads) at
/// <see cref="Position"/>; <see cref="int.MaxValue"/> for all of them. An SSE id is <c>P</c> for the first change at
/// position P and <c>P:k</c> for the k-th further one, and resuming after it continues with the next.
/// </summary>
public readonly record struct ChangeCursor(long Position, int Seen)
{
    public static ChangeCursor After(long position) => new(position, int.MaxValue);

    /// <summary>The SSE id of the change with ordinal <paramref name="ordinal"/> at <paramref name="position"/>.</summary>
    public static string Id(long position, int ordinal) =>
        ordinal == 0 ? position.ToString(CultureInfo.InvariantCulture) : $"{position.ToString(CultureInfo.InvariantCulture)}:{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The cursor after the SSE id <paramref name="id"/> (<c>P</c> or <c>P:k</c>); <paramref name="field"/> names it in errors.</summary>
    public static ChangeCursor Parse(string id, string field)
    {
        var parts = id.Split(':');
        if (parts.Length <= 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            && (parts.Length == 1 || (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) && ordinal > 0 && ordinal < int.MaxValue)))
        {
            return new ChangeCursor(position, parts.Length == 1 ? 1 : int.Parse(parts[1], CultureInfo.InvariantCulture) + 1);
        }

        throw new LedgerValidationException(field, $"'{id}' is not a change id: expected a position such as 1234, or 1234:1 for a further change at that position");
    }
}

/// <summary>A change as a follower delivers it: its SSE id and its message.</summary>
public sealed record FollowedChange(string Id, RelationshipScoreChanged Message);

/// <summary>
/// Follows the live projection generation's change log (<see cref="ChangeLog"/>) for the dyads a <see cref="Filter"/>
/// admits, strictly after a <see cref="ChangeCursor"/>: the changes the dyad grains produced, never a second fold over the
/// store. <see cref="WaitAsync"/> waits for the live feed to deliver something after the last read, so a follower at the
/// end of the log sleeps on the feed rather than polling the store.
/// </summary>
public sealed class ScoreChangeFollower(ChangeLog log, IGrainFactory grains, IReadOnlySet<string>? filter, ChangeCursor after)
{
    /// <summary>About how many changes one read returns (never ending inside a position).</summary>
    public const int PageSize = 500;

    private FeedStatus? _seen;

    /// <summary>The dyad keys followed; null for all.</summary>
    public IReadOnlySet<string>? Filter { get; } = filter;

    public ChangeCursor Cursor { get; private set; } = after;

    /// <summary>The next changes after <see cref="Cursor"/> in the live generation's change log, in order; empty at its end.</summary>
    public async Task<IReadOnlyList<FollowedChange>> ReadAsync(CancellationToken cancellationToken)
    {
        var live = (await grains.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry).GetAsync().WaitAsync(cancellationToken)).Active;
        _seen = await grains.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(live.Id)).GetStatusAsync().WaitAsync(cancellationToken);
        var from = Cursor.Seen == int.MaxValue ? Cursor.Position + 1 : Cursor.Position;
        var page = await log.ReadAsync(live.Id, from, Filter, PageSize, cancellationToken);
        var changes = new List<FollowedChange>(page.Count);
        var (position, ordinal) = (-1L, 0);
        foreach (var change in page)
        {
            (position, ordinal) = change.Position == position ? (position, ordinal + 1) : (change.Position, 0);
            if (position != Cursor.Position || ordinal >= Cursor.Seen)
            {
                changes.Add(new FollowedChange(ChangeCursor.Id(position, ordinal), RelationshipScoreChanged.From(change)));
            }
        }

        if (page.Count > 0)
        {
            Cursor = ChangeCursor.After(page[^1].Position);
        }

        return changes;
    }

    /// <summary>
    /// Waits, at most <paramref name="maxWait"/>, until the live feed's status moves on from what it was at the last
    /// <see cref="ReadAsync"/> (it delivered a batch, whose changes are then in the log).
    /// </summary>
    public async Task WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (_seen is { } seen)
        {
            await grains.GetGrain<ILedgerFeedGrain>(ProjectionKeys.Feed(seen.Generation)).WaitForChangeAsync(seen, maxWait).WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Throws, naming <paramref name="field"/>, when changes after <paramref name="cursor"/> were pruned from the live
    /// generation's change log, so following from there would skip some.
    /// </summary>
    public static async Task CheckRetainedAsync(ChangeLog log, IGrainFactory grains, ChangeCursor cursor, string field, CancellationToken cancellationToken)
    {
        var live = (await grains.GetGrain<IProjectionRegistryGrain>(ProjectionKeys.Registry).GetAsync().WaitAsync(cancellationToken)).Active;
        var floor = await log.FloorAsync(live.Id, cancellationToken);
        if (cursor.Position < floor)
        {
            throw new LedgerValidationException(
                field,
                $"changes up to position {floor.ToString(CultureInfo.InvariantCulture)} are no longer kept (the change log keeps a window of recent positions); resume at {floor.ToString(CultureInfo.InvariantCulture)} or later");
        }
    }
}
