using System.Globalization;
using KarabakhLedger.Scoring.Queries;
using ScottPlot;

namespace KarabakhLedger.Cli.Timeline;

/// <summary>Draws a cooperation-versus-conflict timeline with ScottPlot: bars up for cooperation, down for conflict, a line for the net.</summary>
public static class TimelineChart
{
    /// <summary>Draws the timeline to an .svg or .png file, titled with the dyad as asked (<paramref name="title"/>).</summary>
    public static void Save(TimelineResult timeline, string path, string title)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".svg" or ".png"))
        {
            throw new Hosting.UserInputException($"--chart: '{path}' must end in .svg or .png");
        }

        var plot = new Plot();
        var positions = Enumerable.Range(0, timeline.Points.Count).Select(i => (double)i).ToArray();
        var cooperation = plot.Add.Bars(positions, timeline.Points.Select(p => (double)p.Cooperation).ToArray());
        cooperation.LegendText = "cooperation (Σ positive Goldstein)";
        cooperation.Color = Colors.SteelBlue;
        var conflict = plot.Add.Bars(positions, timeline.Points.Select(p => (double)p.Conflict).ToArray());
        conflict.LegendText = "conflict (Σ negative Goldstein)";
        conflict.Color = Colors.IndianRed;
        var net = plot.Add.Scatter(positions, timeline.Points.Select(p => (double)p.Net).ToArray());
        net.LegendText = "net";
        net.Color = Colors.Black;
        net.LineWidth = 2;
        plot.Add.HorizontalLine(0, 1, Colors.Gray);
        plot.Axes.Bottom.SetTicks(positions, timeline.Points.Select(p => p.Label).ToArray());
        plot.Axes.Margins(bottom: 0.05, top: 0.1);
        plot.Title($"{title}: cooperation vs conflict by {timeline.Bucket.ToString().ToLowerInvariant()}");
        plot.YLabel("Goldstein weight");
        plot.XLabel(string.Create(CultureInfo.InvariantCulture,
            $"model {timeline.Model.Id}@{timeline.Model.Version} · as of {timeline.AsOf:yyyy-MM-dd} · known at {timeline.KnownAt:yyyy-MM-dd HH:mm}Z"));
        plot.Axes.Bottom.Label.FontSize = 12;
        plot.Axes.Bottom.Label.Bold = false;
        plot.ShowLegend(Alignment.UpperLeft);
        var width = Math.Max(800, 60 * timeline.Points.Count);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        if (extension == ".svg")
        {
            plot.SaveSvg(path, width, 420);
        }
        else
        {
            plot.SavePng(path, width, 420);
        }
    }
}
