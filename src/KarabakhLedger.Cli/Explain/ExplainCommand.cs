using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Bundles;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Projections;
using KarabakhLedger.Cli.Score;
using KarabakhLedger.Scoring.Queries;
using Spectre.Console;

namespace KarabakhLedger.Cli.Explain;

/// <summary>
/// <c>ledger explain DYAD</c>: the derivation of a score — every contributing event with its weight, decay and
/// value, their exact sum, the model and the digest — enough to recompute it from <c>ledger export</c>.
/// </summary>
public static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var options = new QueryOptions();
        var bundle = new ExplainBundle();
        var command = new Command("explain", "How a dyad's score is derived: contributing events, weights, decay, model and digest.");
        options.AddTo(command);
        bundle.AddTo(command);
        options.SetScoreAction(command, context, async (score, parse, store, cancellationToken) =>
        {
            if (parse.GetValue(bundle.Bundle) is not null)
            {
                return await bundle.WriteAsync(context, parse, store, score, cancellationToken);
            }

            if (parse.GetValue(options.Json))
            {
                await context.Out.WriteLineAsync(ProjectionJson.Write(score));
            }
            else
            {
                Write(context.Console, score);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What dedup set aside (not in the score): each event, the rule or merge, and the event kept in its place.</summary>
    private static void WriteSetAside(IAnsiConsole console, IReadOnlyList<SetAsideEvent> setAside)
    {
        if (setAside.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple)
            .Title($"Set aside by dedup ({setAside.Count}, not in the score)")
            .AddColumns("event", "occurred", "cameo", "who", "rule", "kept", "merge");
        foreach (var a in setAside)
        {
            table.AddRow(
                a.EventId.ToString("D")[..8],
                a.OccurredOn,
                a.CameoCode,
                Markup.Escape(a.Direction),
                Markup.Escape(a.Rule),
                a.KeptEventId.ToString("D")[..8],
                a.MergeEventId?.ToString("D")[..8] ?? "");
        }

        console.Write(table);
    }

    public static void Write(IAnsiConsole console, ScoreResult score)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"Derivation of {score.Dyad}'s score as of {score.AsOf:yyyy-MM-dd}")
            .AddColumns("event", "occurred", "type", "cameo", "who", "recorded on", "weight", "age (d)", "decay", "value", "source");
        foreach (var c in score.Contributions)
        {
            table.AddRow(
                c.EventId.ToString("D")[..8] + (c.CorrectedBy is null ? "" : "*"),
                c.OccurredOn,
                Markup.Escape(c.Type),
                c.CameoCode,
                Markup.Escape(c.Direction),
                Markup.Escape(c.RecordedDyad == c.CountedToward ? c.RecordedDyad : $"{c.RecordedDyad} → {c.CountedToward}"),
                ScoreCommand.D(c.Weight),
                c.AgeDays.ToString(CultureInfo.InvariantCulture),
                c.DecayFactor.ToString("0.000000", CultureInfo.InvariantCulture),
                c.Value.ToString("0.000000", CultureInfo.InvariantCulture),
                Markup.Escape(c.Sources.Count > 0 ? c.Sources[0].Outlet : ""));
        }

        table.AddRow("", "", "", "", "", "", "", "", "[bold]score[/]", $"[bold]{score.Score.ToString("0.000000", CultureInfo.InvariantCulture)}[/]", "= Σ values");
        console.Write(table);
        if (score.Contributions.Any(c => c.CorrectedBy is not null))
        {
            console.MarkupLine("* facts as corrected by a later correction event");
        }

        foreach (var via in score.Contributions.Where(c => c.Via is not null).Select(c => $"{c.RecordedDyad} → {c.CountedToward}: {c.Via}").Distinct())
        {
            console.MarkupLine(Markup.Escape(via));
        }

        ScoreCommand.WriteRolledUp(console, score.Dyad, score.RolledUp);
        WriteSetAside(console, score.SetAside);

        console.MarkupLine(Markup.Escape($"model {score.Model.Id}@{score.Model.Version} ({string.Join(", ", score.Model.Parameters.Select(p => $"{p.Key}={p.Value}"))}); known at {score.KnownAt:O}"));
        console.MarkupLine(Markup.Escape($"digest {score.Digest} (SHA-256 over model, as-of date and every contribution with its event hashes; see docs/scoring.md)"));
    }
}
