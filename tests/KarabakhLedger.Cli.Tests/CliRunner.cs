using KarabakhLedger.Cli.Hosting;
using Microsoft.Extensions.Time.Testing;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Cli.Tests;

/// <summary>Runs the real <c>ledger</c> command line in-process, with its own streams, environment and clock.</summary>
public sealed class CliRunner
{
    private static readonly string Folder = TestFolders.Create("karabakh-cli-tests-").FullName;

    public string StorePath { get; } = Path.Combine(Folder, $"{Guid.NewGuid():N}.db");

    public Dictionary<string, string> Environment { get; } = new() { ["HOME"] = Folder };

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public static string NewPath(string extension) => Path.Combine(Folder, $"{Guid.NewGuid():N}{extension}");

    /// <summary>Runs <c>ledger ARGS --store STORE</c> (unless the arguments name a store) with <paramref name="stdin"/>.</summary>
    public Task<CliResult> RunWithInput(string stdin, params string[] args) =>
        RunWithBytes(System.Text.Encoding.UTF8.GetBytes(stdin), args);

    /// <summary>As <see cref="RunWithInput"/>, with stdin's exact bytes.</summary>
    public async Task<CliResult> RunWithBytes(byte[] stdin, params string[] args)
    {
        var arguments = args.Contains("--store") || args.Contains("demo") ? args : [.. args, "--store", StorePath];
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(new MemoryStream(stdin), output, error, name => Environment.GetValueOrDefault(name), Clock);
        var exitCode = await LedgerCli.RunAsync(arguments, context);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public Task<CliResult> Run(params string[] args) => RunWithInput("", args);
}

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
