using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Explain;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Cli.Score;
using KarabakhLedger.Cli.Timeline;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Ledger.Reports;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Stores;
using Spectre.Console;

namespace KarabakhLedger.Cli.Demo;

/// <summary>
/// <c>ledger demo</c>: seeds a fresh ledger, projects it through an in-process Orleans silo, shows the TUR-RUS
/// timeline 2015–2022 with its chart, every dyad's score and one derivation, and verifies every hash chain. Unless
/// <c>--store</c> names a SQLite file, it writes into one new folder in the temp folder, which it names first: the
/// ledger, its projections and the chart, nothing elsewhere.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "Seed a fresh ledger, project it, and show timelines, scores and a derivation.");
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var named = parse.GetValue(LedgerCli.StoreOption) is { } text ? LedgerLocation.Parse(text, "--store") : null;
            var file = named as SqliteLedgerLocation;
            var folder = file is null ? NewFolder(context) : null;
            var location = named ?? new SqliteLedgerLocation(Path.Combine(folder!, "ledger.db"));
            await using var store = await location.OpenLedgerAsync(context.Clock, cancellationToken);
            if (folder is not null)
            {
                await context.Out.WriteLineAsync($"Folder: {folder} (delete it when done)");
            }

            var chart = file is not null ? Path.ChangeExtension(file.Path, null) + "-TUR-RUS.png" : Path.Combine(folder!, "TUR-RUS.png");
            return await RunAsync(store, location, chart, context, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(ILedgerStore store, LedgerLocation location, string chart, CliContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        console.Write(new Rule("KarabakhLedger demo").LeftJustified());
        console.WriteLine($"Store: {store.Description}");
        var items = await new LedgerRecorder(store, EventSerializer.Default, context.Clock).RecordAsync(SeedCorpus.Load(), cancellationToken: cancellationToken);
        var appended = items.Sum(i => i.Events.Count(e => e.Status == AppendStatus.Appended));
        console.WriteLine($"Seed corpus: {items.Count} recorded interactions and acts became {items.Sum(i => i.Events.Count)} dyad events ({appended} appended now).");

        await using var session = await ProjectionSession.OpenAsync(store, location, context, cancellationToken);
        var feed = await session.Cluster.GetFeedStatusAsync(cancellationToken);
        console.WriteLine($"Projected through an in-process Orleans silo (feed at position {feed.Checkpoint}).");
        console.WriteLine();

        var now = ScoreQuery.Now(context.Clock);
        const string asked = "TUR-RUS";
        var focus = context.Actors.ResolveDyad(asked);
        var timeline = await session.Cluster.TimelineAsync(focus, new DateOnly(2015, 1, 1), new DateOnly(2022, 12, 31), Bucket.Year, now, cancellationToken: cancellationToken);
        TimelineCommand.Write(console, timeline, asked);
        TimelineChart.Save(timeline, chart, asked);
        await context.Out.WriteLineAsync($"Chart: {chart}");
        console.WriteLine();

        var summaries = await DyadSummary.ForAllAsync(store, EventSerializer.Default, cancellationToken);
        var table = new Table().Border(TableBorder.Rounded).Title($"Every dyad's score now (model {ModelCatalog.DefaultKey}, half-life 365 days)")
            .AddColumns("dyad", "events", "from", "to", "coop.", "confl.", "cooperation", "conflict", "net", "score");
        foreach (var s in summaries.OrderByDescending(s => s.Interactions).ThenBy(s => s.Dyad.Key, StringComparer.Ordinal))
        {
            var score = await session.Cluster.ScoreAsync(s.Dyad, now, cancellationToken: cancellationToken);
            table.AddRow(
                s.Dyad.Key, ScoreCommand.N(s.Interactions), s.First?.ToString() ?? "", s.Last?.ToString() ?? "",
                ScoreCommand.N(s.Cooperation), ScoreCommand.N(s.Conflict),
                ScoreCommand.D(score.Cooperation), ScoreCommand.D(score.Conflict), ScoreCommand.D(score.Net), ScoreCommand.D(score.Score));
        }

        console.Write(table);
        console.WriteLine("coop./confl.: interactions in CAMEO QuadClasses 1–2 / 3–4; cooperation, conflict, net: undecayed Goldstein sums; score: decayed net.");
        console.WriteLine();

        ExplainCommand.Write(console, await session.Cluster.ScoreAsync(new Dyad("TUR", "UKR"), now, cancellationToken: cancellationToken));
        console.WriteLine();

        var report = await ChainVerifier.VerifyAsync(store, cancellationToken: cancellationToken);
        console.WriteLine(report.Intact
            ? $"Verified: {report.EventsChecked} events in {report.StreamsChecked} streams, every hash chain intact."
            : $"BROKEN hash chain at {report.FirstBroken!.StreamId} v{report.FirstBroken.StreamVersion}: {report.FirstBroken.Problem}");
        console.WriteLine($"Next: ledger explain TUR-RUS --store \"{StorePath(store)}\"   (or score, timeline, events, export, verify)");
        return report.Intact ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private static string NewFolder(CliContext context) =>
        Directory.CreateDirectory(Path.Combine(
            context.Environment("TMPDIR") is { Length: > 0 } temp ? temp : Path.GetTempPath(),
            $"karabakh-ledger-demo-{context.Clock.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}")).FullName;

    private static string StorePath(ILedgerStore store) =>
        store is Ledger.Sqlite.SqliteLedgerStore sqlite ? sqlite.Path : "<connection string>";
}
