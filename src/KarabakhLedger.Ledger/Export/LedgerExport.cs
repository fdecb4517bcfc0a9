using System.Globalization;
using System.Text;
using System.Text.Json;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
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
        "eventId", "dyad", "type", "cameoCode", "initiator", "target", "joint", "occurredOn", "recordedAt", "summary",
        "theatre", "sources", "correlationId", "corrects", "retracts", "reason", "streamVersion", "position", "hash",
    ];

    /// <summary>The events to export: one dyad's stream in version order, or the whole ledger in global order.</summary>
    public static IAsyncEnumerable<StoredEvent> Select(ILedgerStore store, Dyad? dyad, CancellationToken cancellationToken) =>
        dyad is null ? store.ReadAllAsync(0, cancellationToken) : store.ReadStreamAsync(dyad.StreamId, 1, cancellationToken);

    public static async Task<int> WriteAsync(
        IAsyncEnumerable<StoredEvent> events, ExportFormat format, TextWriter output, EventSerializer serializer,
        CancellationToken cancellationToken = default)
    {
        var count = 0;
        if (format == ExportFormat.Csv)
        {
            await output.WriteLineAsync(string.Join(',', CsvColumns));
        }

        await foreach (var stored in events.WithCancellation(cancellationToken))
        {
            var view = LedgerEventView.From(stored, serializer);
            await output.WriteLineAsync(format == ExportFormat.Jsonl ? JsonSerializer.Serialize(view, LedgerJson.Options) : CsvLine(view));
            count++;
        }

        return count;
    }

    private static string CsvLine(LedgerEventView v) => string.Join(',', new[]
    {
        v.EventId.ToString("D"), v.Dyad, v.Type, v.CameoCode, v.Initiator, v.Target,
        v.Joint is { } joint ? (joint ? "true" : "false") : null, v.OccurredOn,
        EventHash.FormatTimestamp(v.RecordedAt), v.Summary, v.Theatre,
        string.Join(" | ", v.Sources.Select(DescribeSource)),
        v.CorrelationId?.ToString("D"), v.Corrects?.ToString("D"), v.Retracts?.ToString("D"), v.Reason,
        v.StreamVersion.ToString(CultureInfo.InvariantCulture), v.Position.ToString(CultureInfo.InvariantCulture), v.Hash,
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
