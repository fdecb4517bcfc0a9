using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Export;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace KarabakhLedger.Service.Browsing;

/// <summary>
/// One page of stored events, as <c>ledger export</c> writes them. <see cref="Next"/> is the <c>after</c> value of
/// the next page; null when this page reached the end.
/// </summary>
public sealed record EventsPage(IReadOnlyList<LedgerEventView> Events, long? Next);

/// <summary>The ledger's stored events: what <c>ledger events</c> and <c>ledger export</c> show.</summary>
public static class EventEndpoints
{
    public const int DefaultPageSize = 100;

    /// <summary>
    /// Events in global order (one dyad's with <c>dyad</c>: for a country dyad, with the events that roll up into it), those whose date overlaps <c>from</c>..<c>to</c>
    /// when given (as <c>ledger events</c> filters: an event dated to a month or year is in when that period
    /// overlaps), after position <c>after</c>, at most <c>limit</c> of them.
    /// </summary>
    [WolverineGet("/api/events", OperationId = "listEvents")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static async Task<EventsPage> List(
        string? dyad, string? from, string? to, string? after, string? limit, string? provenance,
        ILedgerStore store, EventSerializer serializer, ActorRegistry actors, IOptions<LedgerServiceOptions> options, CancellationToken cancellationToken)
    {
        var stream = dyad is null ? null : QueryParameters.Dyad(dyad, actors);
        var start = QueryParameters.Date(from, "from")?.Start ?? DateOnly.MinValue;
        var end = QueryParameters.Date(to, "to")?.End ?? DateOnly.MaxValue;
        if (start > end)
        {
            throw new Domain.Validation.LedgerValidationException("from", "must not be after 'to'");
        }

        var provenances = QueryParameters.Provenance(provenance);
        var position = QueryParameters.Number(after, "after", 0, long.MaxValue) ?? 0;
        var size = (int)(QueryParameters.Number(limit, "limit", 1, options.Value.MaxPageSize) ?? DefaultPageSize);
        var filtered = start != DateOnly.MinValue || end != DateOnly.MaxValue;
        var events = stream is null ? store.ReadAllAsync(position, cancellationToken) : LedgerExport.Select(store, stream, serializer, actors, cancellationToken, Domain.Provenance.ProvenanceFilter.All);
        var page = new List<LedgerEventView>(size);
        await foreach (var stored in events)
        {
            if (stored.Position <= position)
            {
                continue;
            }

            var view = LedgerEventView.From(stored, serializer, actors);
            if (!provenances.Includes(view.Provenance) || (filtered && !Overlaps(view, start, end)))
            {
                continue;
            }

            if (page.Count == size)
            {
                return new EventsPage(page, page[^1].Position);
            }

            page.Add(view);
        }

        return new EventsPage(page, null);
    }

    /// <summary>One event by id, wherever it is stored.</summary>
    [WolverineGet("/api/events/{eventId}", OperationId = "getEvent")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static async Task<IResult> Get(string eventId, ILedgerStore store, EventSerializer serializer, ActorRegistry actors, CancellationToken cancellationToken)
    {
        var stored = await store.FindEventAsync(QueryParameters.EventId(eventId), cancellationToken);
        return stored is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: $"No event {eventId} is in the ledger.")
            : TypedResults.Ok(LedgerEventView.From(stored, serializer, actors));
    }

    private static bool Overlaps(LedgerEventView view, DateOnly start, DateOnly end) =>
        view.OccurredOn is { } text && PartialDate.Parse(text) is var date && date.End >= start && date.Start <= end;
}
