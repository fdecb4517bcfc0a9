using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Reports;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;
using Spectre.Console;

namespace KarabakhLedger.Cli.Demo;

/// <summary>
/// <c>ledger demo</c>: seeds a fresh ledger (a new temporary file unless <c>--store</c> names one), prints a
/// report per dyad and verifies every hash chain.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Seed a fresh ledger and print a report per dyad.");
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var location = parse.GetValue(LedgerCli.StoreOption)
                ?? Path.Combine(Path.GetTempPath(), $"karabakh-ledger-demo-{context.Clock.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}.db");
            await using var store = await StoreFactory.OpenAsync(location, context.Clock, cancellationToken);
            return await RunAsync(store, context, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(ILedgerStore store, CliContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        console.Write(new Rule("KarabakhLedger demo").LeftJustified());
        console.WriteLine($"Store: {store.Description}");
        var items = await new LedgerRecorder(store, EventSerializer.Default).RecordAsync(SeedCorpus.Load(), cancellationToken);
        var appended = items.Sum(i => i.Events.Count(e => e.Status == AppendStatus.Appended));
        console.WriteLine($"Seed corpus: {items.Count} recorded interactions and acts became {items.Sum(i => i.Events.Count)} dyad events ({appended} appended now).");
        console.WriteLine();

        var summaries = await DyadSummary.ForAllAsync(store, EventSerializer.Default, cancellationToken);
        var table = new Table().Border(TableBorder.Rounded).Title("Interactions per dyad (CAMEO QuadClass)")
            .AddColumns("dyad", "events", "from", "to", "cooperation", "conflict", "verbal coop.", "material coop.", "verbal confl.", "material confl.");
        foreach (var s in summaries.OrderByDescending(s => s.Interactions).ThenBy(s => s.Dyad.Key, StringComparer.Ordinal))
        {
            string N(QuadClass q) => s.ByQuadClass.GetValueOrDefault(q).ToString(CultureInfo.InvariantCulture);
            table.AddRow(
                s.Dyad.Key, s.Interactions.ToString(CultureInfo.InvariantCulture),
                s.First?.ToString() ?? "", s.Last?.ToString() ?? "",
                s.Cooperation.ToString(CultureInfo.InvariantCulture), s.Conflict.ToString(CultureInfo.InvariantCulture),
                N(QuadClass.VerbalCooperation), N(QuadClass.MaterialCooperation), N(QuadClass.VerbalConflict), N(QuadClass.MaterialConflict));
        }

        console.Write(table);
        var report = await ChainVerifier.VerifyAsync(store, cancellationToken: cancellationToken);
        console.WriteLine(report.Intact
            ? $"Verified: {report.EventsChecked} events in {report.StreamsChecked} streams, every hash chain intact."
            : $"BROKEN hash chain at {report.FirstBroken!.StreamId} v{report.FirstBroken.StreamVersion}: {report.FirstBroken.Problem}");
        console.WriteLine();
        console.WriteLine($"Next: ledger events --store \"{StorePath(store)}\" --dyad RUS-TUR");
        return report.Intact ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private static string StorePath(ILedgerStore store) =>
        store is Ledger.Sqlite.SqliteLedgerStore sqlite ? sqlite.Path : "<connection string>";
}
