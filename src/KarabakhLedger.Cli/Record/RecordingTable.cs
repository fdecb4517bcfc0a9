using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Store;
using Spectre.Console;

namespace KarabakhLedger.Cli.Record;

/// <summary>Shows people what a batch of recordings became: one row per recorded object, then totals.</summary>
public static class RecordingTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<RecordedItem> items)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("recording", "kind", "dyads", "events", "status");
        foreach (var item in items)
        {
            var appended = item.Events.Count(e => e.Status == AppendStatus.Appended);
            table.AddRow(
                Markup.Escape(item.Recording.Id.ToString("D")[..8]),
                Markup.Escape(Kind(item.Recording)),
                Markup.Escape(string.Join(" ", item.Events.Select(e => e.StreamId.Replace("dyad-", "", StringComparison.Ordinal)).Distinct())),
                item.Events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                appended == item.Events.Count ? "appended"
                : appended == 0 ? "already there"
                : $"{appended} appended, {item.Events.Count - appended} already there");
        }

        console.Write(table);
        var total = items.Sum(i => i.Events.Count);
        var fresh = items.Sum(i => i.Events.Count(e => e.Status == AppendStatus.Appended));
        console.WriteLine($"{items.Count} recordings: {fresh} events appended, {total - fresh} already there.");
    }

    private static string Kind(Recording recording) => recording switch
    {
        InteractionRecording r => r.Type.Name,
        CorrectionRecording => "correction",
        RetractionRecording => "retraction",
        MergeRecording => "merge",
        _ => recording.GetType().Name,
    };
}
