using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace KarabakhLedger.Cli.Tests;

/// <summary>One fenced <c>bash</c> block of README.md, with the line it starts on and why it is not run, if it is not.</summary>
public sealed record ReadmeBlock(int Line, string Script, string? NotRunBecause);

/// <summary>
/// README.md's shell examples. A block is run unless the line before its fence says
/// <c>&lt;!-- README test: not run (REASON) --&gt;</c>; a marker without a reason is refused.
/// </summary>
public static partial class ReadmeExamples
{
    public static IReadOnlyList<ReadmeBlock> Parse(string markdown)
    {
        var lines = markdown.Split('\n');
        var blocks = new List<ReadmeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```bash")
            {
                continue;
            }

            string? reason = null;
            if (i > 0 && lines[i - 1].StartsWith("<!-- README test", StringComparison.Ordinal))
            {
                var marker = NotRun().Match(lines[i - 1]);
                reason = marker.Success ? marker.Groups[1].Value : throw new FormatException($"README.md line {i}: a README test marker must read '<!-- README test: not run (REASON) -->'");
            }

            var body = new StringBuilder();
            var j = i + 1;
            for (; j < lines.Length && lines[j].TrimEnd() != "```"; j++)
            {
                body.Append(lines[j]).Append('\n');
            }

            blocks.Add(new ReadmeBlock(i + 1, body.ToString(), reason));
            i = j;
        }

        return blocks;
    }

    [GeneratedRegex(@"^<!-- README test: not run \((.+)\) -->$")]
    private static partial Regex NotRun();
}

/// <summary>
/// Runs every README example as a new user would, in order, in one bash session: a fresh folder with its own HOME
/// and no ledger, the <c>ledger</c> this build made on the PATH, <c>deploy/</c> and <c>tools/</c> where the README
/// expects them, and the GDELT and ICEWS files it imports stood in by small files of the same layouts and names.
/// The first command that fails fails the test, named with its README line.
/// </summary>
public sealed class ReadmeExamplesTests
{
    private static readonly string Repository = FindRepository();

    [Fact]
    public void The_parser_finds_the_blocks_and_their_reasons()
    {
        var blocks = ReadmeExamples.Parse("text\n<!-- README test: not run (needs Docker) -->\n```bash\ndocker compose up\n```\n\n```bash\nledger seed\nledger verify\n```\n```json\n{}\n```\n");

        Assert.Equal([new ReadmeBlock(3, "docker compose up\n", "needs Docker"), new ReadmeBlock(7, "ledger seed\nledger verify\n", null)], blocks);
        Assert.Throws<FormatException>(() => ReadmeExamples.Parse("<!-- README test: skip -->\n```bash\nls\n```\n"));
    }

    [Fact]
    public async Task Every_example_in_the_README_runs_as_written_in_order()
    {
        var blocks = ReadmeExamples.Parse(await File.ReadAllTextAsync(Path.Combine(Repository, "README.md")));
        var run = blocks.Where(b => b.NotRunBecause is null).ToList();
        Assert.True(run.Count >= 8, $"README.md has only {run.Count} runnable bash blocks: the parser or the README lost them");

        var sandbox = Directory.CreateTempSubdirectory("karabakh-readme-").FullName;
        var pgState = Path.Combine(sandbox, "postgres.env");
        try
        {
            var work = Directory.CreateDirectory(Path.Combine(sandbox, "work")).FullName;
            var home = Directory.CreateDirectory(Path.Combine(sandbox, "home")).FullName;
            var bin = Directory.CreateDirectory(Path.Combine(sandbox, "bin")).FullName;
            Directory.CreateSymbolicLink(Path.Combine(work, "deploy"), Path.Combine(Repository, "deploy"));
            Directory.CreateSymbolicLink(Path.Combine(work, "tools"), Path.Combine(Repository, "tools"));
            var ledger = Path.Combine(bin, "ledger");
            await File.WriteAllTextAsync(ledger, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "ledger.dll")}' \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(ledger, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            WriteDownloads(work);

            var script = new StringBuilder("""
                set -euo pipefail
                trap 'echo "README.md line $readme_line: this command failed (exit $?): $BASH_COMMAND" >&2' ERR
                trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

                """);
            foreach (var block in run)
            {
                script.Append("readme_line=").Append(block.Line).Append('\n').Append(block.Script);
            }

            var scriptPath = Path.Combine(sandbox, "readme.sh");
            await File.WriteAllTextAsync(scriptPath, script.ToString());
            var (exitCode, output) = await Bash(scriptPath, work, home, bin, pgState);

            Assert.True(exitCode == 0, $"the README's examples failed (exit {exitCode}); the end of their output:\n{Tail(output, 60)}");
            Assert.Matches("""\{"dyad":"(TUR-RUS|RUS-TUR)","events":[1-9][0-9]*,""", output);
        }
        finally
        {
            await Bash("-c", sandbox, sandbox, "", pgState, command: $"bash '{Path.Combine(Repository, "deploy", "postgres.sh")}' stop");
            Directory.Delete(sandbox, recursive: true);
        }
    }

    /// <summary>The files the README imports, as the reader would have downloaded them: GDELT 1.0 and 2.0 zipped, ICEWS plain.</summary>
    private static void WriteDownloads(string folder)
    {
        var day = new DateOnly(2022, 2, 24);
        var report = "https://news.example.org/2022/02/24/abduction";
        WriteZip(folder, "20220224.export.CSV", EventDataFiles.Gdelt("gdelt1",
            [
                new CodedRow(1033000001, day, "TURGOV", "TUR", "RUSGOV", "RUS", "111"),
                new CodedRow(1033000002, day, "RUSMIL", "RUS", "UKRMIL", "UKR", "190"),
                new CodedRow(1033000003, day, "TUR", "TUR", "UKR", "UKR", "042"),
                new CodedRow(1033000004, day, "RUS", "RUS", "", "", "190"),
            ]));
        WriteZip(folder, "20220224044500.export.CSV", EventDataFiles.Gdelt("gdelt2",
            [
                new CodedRow(1033100001, day, "RUS", "RUS", "UKR", "UKR", "181", Url: report),
                new CodedRow(1033100002, day, "RUS", "RUS", "UKR", "UKR", "181", Url: report),
                new CodedRow(1033100003, day, "RUSMIL", "RUS", "UKRMIL", "UKR", "190"),
            ]));
        WriteZip(folder, "20220224050000.export.CSV", EventDataFiles.Gdelt("gdelt2",
            [new CodedRow(1033100004, day, "TURGOV", "TUR", "RUSGOV", "RUS", "0213")]));
        File.WriteAllText(Path.Combine(folder, "events.2022.tab"), EventDataFiles.Icews(
            [
                new CodedRow(30000001, day, "Turkey", "Turkey", "Russia", "Russia", "111"),
                new CodedRow(30000002, day.AddDays(1), "Recep Tayyip Erdogan", "Turkey", "Russia", "Russia", "036"),
            ]));
    }

    private static void WriteZip(string folder, string name, string text)
    {
        var written = EventDataFiles.Write(name, text, ".zip");
        File.Move(written, Path.Combine(folder, name + ".zip"));
        Directory.Delete(Path.GetDirectoryName(written)!);
    }

    private static async Task<(int ExitCode, string Output)> Bash(string scriptOrFlag, string workingDirectory, string home, string bin, string pgState, string? command = null)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(scriptOrFlag);
        if (command is not null)
        {
            start.ArgumentList.Add(command);
        }

        start.Environment["HOME"] = home;
        start.Environment["PATH"] = bin.Length == 0 ? start.Environment["PATH"] : $"{bin}:{start.Environment["PATH"]}";
        start.Environment["LEDGER_PG_STATE"] = pgState;
        start.Environment.Remove("LEDGER_STORE");
        start.Environment.Remove("LEDGER_SIGNING_KEY");
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(output, "(killed after 15 minutes)");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KarabakhLedger.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no KarabakhLedger.sln above " + AppContext.BaseDirectory);
    }
}
