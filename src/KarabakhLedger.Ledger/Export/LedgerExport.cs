using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Export;

public enum ExportFormat
{
    Jsonl,
    Csv,
}

/// <summary>Writes the ledger, or one dyad's stream, one event per line: JSON Lines or CSV (RFC 4180).</summary>
public static class LedgerExport
{
    private static readonly string[] CsvColumns =
    [
        "eventId", "dyad", "type", "cameoCode", "initiator", "target", "countryDyad", "initiatorState", "initiatorRole", "targetState", "targetRole", "joint", "occurredOn", "recordedAt", "summary",
        "theatre", "sources", "correlationId", "corrects", "retracts", "reason", "streamVersion", "position", "hash", "provenance",
        "sourceEventId",
    ];

    /// <summary>
    /// The events to export: the whole ledger in global order; or one dyad's: its own stream, and for a country dyad
    /// (two states) also every other actor pair's interactions that count toward it (<see cref="LedgerEventView.CountryDyad"/>)
    /// with their corrections, retractions and merges, in global order. Only events of the provenances
    /// <paramref name="provenance"/> includes (default: curated).
    /// </summary>
    public static IAsyncEnumerable<StoredEvent> Select(
        ILedgerStore store, Dyad? dyad, EventSerializer serializer, ActorRegistry actors, CancellationToken cancellationToken, ProvenanceFilter? provenance = null)
    {
        var events = dyad is null ? store.ReadAllAsync(0, cancellationToken)
            : actors.IsCountryDyad(dyad) ? RolledUpAsync(store, dyad, serializer, actors, cancellationToken)
            : store.ReadStreamAsync(dyad.StreamId, 1, cancellationToken);
        return Filter(events, serializer, provenance ?? ProvenanceFilter.Curated, cancellationToken);
    }

    private static async IAsyncEnumerable<StoredEvent> Filter(
        IAsyncEnumerable<StoredEvent> events, EventSerializer serializer, ProvenanceFilter provenance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = provenance.Included.Count == Provenances.All.Count;
        await foreach (var stored in events.WithCancellation(cancellationToken))
        {
            if (all || provenance.Includes(serializer.Deserialize(stored.Type, stored.SchemaVersion, stored.Data)))
            {
                yield return stored;
            }
        }
    }

    private static async IAsyncEnumerable<StoredEvent> RolledUpAsync(
        ILedgerStore store, Dyad dyad, EventSerializer serializer, ActorRegistry actors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var included = new HashSet<Guid>();
        await foreach (var stored in store.ReadAllAsync(0, cancellationToken))
        {
            if (stored.StreamId != dyad.StreamId)
            {
                if (!stored.StreamId.StartsWith(Dyad.StreamPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var view = LedgerEventView.From(stored, serializer, actors);
                if (view.CountryDyad != dyad.Key && !(view.Corrects is { } c && included.Contains(c)) && !(view.Retracts is { } r && included.Contains(r))
                    && !(view.Merges is { } m && m.Any(included.Contains)))
                {
                    continue;
                }
            }

            included.Add(stored.EventId);
            yield return stored;
        }
    }

    public static async Task<int> WriteAsync(
        IAsyncEnumerable<StoredEvent> events, ExportFormat format, TextWriter output, EventSerializer serializer, ActorRegistry actors,
        CancellationToken cancellationToken = default)
    {
        var count = 0;
        if (format == ExportFormat.Csv)
        {
            await output.WriteLineAsync(string.Join(',', CsvColumns));
        }

        await foreach (var stored in events.WithCancellation(cancellationToken))
        {
            var view = LedgerEventView.From(stored, serializer, actors);
            await output.WriteLineAsync(format == ExportFormat.Jsonl ? JsonSerializer.Serialize(view, LedgerJson.Options) : CsvLine(view));
            count++;
        }

        return count;
    }

    private static string CsvLine(LedgerEventView v) => string.Join(',', new[]
    {
        v.EventId.ToString("D"), v.Dyad, v.Type, v.CameoCode, v.Initiator, v.Target,
        v.CountryDyad, v.InitiatorState, v.InitiatorRole, v.TargetState, v.TargetRole,
        v.Joint is { } joint ? (joint ? "true" : "false") : null, v.OccurredOn,
        EventHash.FormatTimestamp(v.RecordedAt), v.Summary, v.Theatre,
        string.Join(" | ", v.Sources.Select(DescribeSource)),
        v.CorrelationId?.ToString("D"), v.Corrects?.ToString("D"), v.Retracts?.ToString("D"), v.Reason,
        v.StreamVersion.ToString(CultureInfo.InvariantCulture), v.Position.ToString(CultureInfo.InvariantCulture), v.Hash, v.Provenance,
        v.Dataset?.SourceEventId,
    }.Select(Escape));

    private static string DescribeSource(Domain.Interactions.Source s)
    {
        var text = new StringBuilder($"{s.Outlet}: {s.Title}");
        if (s.Url is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" <{s.Url}>");
        }

        if (s.Accessed is { } accessed)
        {
            text.Append(CultureInfo.InvariantCulture, $" (accessed {accessed:yyyy-MM-dd})");
        }

        if (s.Document is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{s.Document}]");
        }

        return text.ToString();
    }

    private static string Escape(string? value) =>
        value is null ? ""
        : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
        : value;
}
