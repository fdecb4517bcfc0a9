using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Playwright;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.WebUi;

/// <summary>
/// A real <c>ledger serve</c> process on a SQLite ledger seeded by a real <c>ledger seed</c>, and Debian's Chromium
/// driven by Playwright (never a browser download: <see cref="ChromiumPath"/>); the node signs checkpoints with a key
/// of its own, so the derivation shows inclusion proofs against one. Shared by the web UI tests (one collection, run
/// one after another), which record only on dyads the seed does not hold.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where the browser is: <c>LEDGER_TEST_CHROMIUM</c>, else Debian's package (deploy/test.sh installs it).</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("LEDGER_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private DirectoryInfo? _folder;
    private ServeProcess? _node;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ServeProcess Node => _node ?? throw new InvalidOperationException("The node has not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>TestResults/ui under the checkout: the screenshots the tests take, kept as artifacts.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(RepoPaths.Root(), "TestResults", "ui")).FullName;

    public async Task InitializeAsync()
    {
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No Chromium at {ChromiumPath}: install Debian's package (apt-get install chromium; deploy/test.sh does) or set LEDGER_TEST_CHROMIUM.");
        }

        _folder = TestFolders.Create("ledger-webui-");
        var store = Path.Combine(_folder.FullName, "ledger.db");
        await SeedAsync(store);
        var (signingKey, _, _) = Ledger.Checkpoints.LedgerSigningKey.CreateFiles(Path.Combine(_folder.FullName, "keys"));
        _node = await ServeProcess.StartAsync(["--store", store, $"--Ledger:Checkpoints:SigningKey={signingKey}"], CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A page of its own (fresh session and local storage) at the given size, on the node's address.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = Node.Address.ToString() });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = fullPage });

    /// <summary>One part of the page (a section), for pages too long to read whole.</summary>
    public static Task ScreenshotAsync(ILocator part, string name) =>
        part.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}.png") });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _folder?.Delete(recursive: true);
    }

    private static async Task SeedAsync(string store)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ServeProcess.CliAssembly(), "seed", "--store", store },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var seed = Process.Start(start) ?? throw new InvalidOperationException("ledger seed did not start.");
        var output = seed.StandardOutput.ReadToEndAsync();
        var errors = seed.StandardError.ReadToEndAsync();
        await seed.WaitForExitAsync();
        if (seed.ExitCode != 0)
        {
            throw new InvalidOperationException($"ledger seed exited with {seed.ExitCode}: {await output}{await errors}");
        }
    }
}

/// <summary>The web UI tests share one seeded node and browser and run one after another.</summary>
[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "An xUnit collection definition; the suffix says what it is, as in xUnit's own naming.")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "web UI";
}
