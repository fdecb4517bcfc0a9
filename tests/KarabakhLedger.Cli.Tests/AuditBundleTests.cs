using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using KarabakhLedger.Cli.Bundles;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Scoring.Models;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// A seeded ledger with one correction, its signing key, and the ARM-AZE audit bundle written by
/// <c>ledger explain --bundle</c>: shared by the bundle tests, which only read it.
/// </summary>
public sealed class BundleFixture : IAsyncLifetime
{
    public CliRunner Cli { get; } = new();

    public string Keys { get; } = Path.Combine(Path.GetDirectoryName(CliRunner.NewPath(".x"))!, Guid.NewGuid().ToString("N"));

    public string PublicKey => Path.Combine(Keys, "ledger-signing.pub");

    public string PrivateKey => Path.Combine(Keys, "ledger-signing.key");

    public string Bundle { get; } = CliRunner.NewPath(".bundle.json");

    public string CorrectedEventId { get; private set; } = "";

    public static string ModelHash => BundleModel.Of(ModelCatalog.Bundled.Default).Hash();

    public async Task InitializeAsync()
    {
        Assert.Equal(0, (await Cli.Run("seed")).ExitCode);
        Assert.Equal(0, (await Cli.Run("key", "create", "--out", Keys)).ExitCode);
        var first = JsonDocument.Parse((await Cli.Run("explain", "ARM-AZE", "--json")).Out).RootElement;
        var target = first.GetProperty("contributions")[0];
        CorrectedEventId = target.GetProperty("eventId").GetString()!;
        var type = target.GetProperty("type").GetString()!;
        var recoded = CameoCatalog.Default.All.Select(e => e.Code).Order(StringComparer.Ordinal)
            .First(code => code != target.GetProperty("cameoCode").GetString() && InteractionTyping.Default.For(type).Admits(code));
        Cli.Clock.Advance(TimeSpan.FromHours(2));
        var correction = $$"""
            { "corrects": "{{CorrectedEventId}}", "reason": "Re-coded.",
              "sources": [ { "outlet": "o", "title": "t", "document": "d", "passage": "p" } ],
              "with": { "type": "{{type}}", "cameoCode": "{{recoded}}",
                "initiator": "ARM", "target": "AZE", "joint": true, "occurredOn": "{{target.GetProperty("occurredOn").GetString()}}",
                "theatre": "south-caucasus", "summary": "Corrected: Türkiye & <others>.", "sources": [ { "outlet": "o", "title": "t", "document": "d", "passage": "p" } ] } }
            """;
        Assert.Equal(0, (await Cli.RunWithInput(correction, "record")).ExitCode);
        Cli.Clock.Advance(TimeSpan.FromHours(1));
        var written = await Cli.Run("explain", "ARM-AZE", "--bundle", Bundle, "--key", PrivateKey);
        Assert.True(written.ExitCode == 0, written.Error);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class AuditBundleTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    /// <summary>Each kind of bad bundle, and the check categories both verifiers must name for it (no more, no fewer).</summary>
    public static TheoryData<string, string[]> BadBundles => new()
    {
        { "event data altered", [BundleVerifier.EventHashCheck] },
        { "event hash input altered", [BundleVerifier.EventHashCheck, BundleVerifier.Derivation] },
        { "event stream version altered", [BundleVerifier.EventHashCheck, BundleVerifier.Inclusion] },
        { "proof element altered", [BundleVerifier.Inclusion] },
        { "proof cut short", [BundleVerifier.Inclusion] },
        { "leaf index altered", [BundleVerifier.Inclusion] },
        { "model weight altered", [BundleVerifier.ModelHash, BundleVerifier.Derivation] },
        { "model weight and model hash altered", [BundleVerifier.ModelHash, BundleVerifier.Derivation] },
        { "score altered", [BundleVerifier.Derivation] },
        { "contribution value altered", [BundleVerifier.Derivation] },
        { "contribution age altered", [BundleVerifier.Derivation] },
        { "digest altered", [BundleVerifier.Derivation] },
        { "checkpoint signature altered", [BundleVerifier.Signature] },
        { "checkpoint root altered", [BundleVerifier.Signature, BundleVerifier.Inclusion] },
        { "event removed", [BundleVerifier.Derivation] },
        { "correction removed", [BundleVerifier.Derivation] },
        { "wrong key", [BundleVerifier.Signature] },
        { "not a bundle", [BundleVerifier.Format] },
    };

    [Fact]
    public async Task A_bundle_written_by_explain_verifies_with_both_verifiers()
    {
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(fixture.Bundle))!;
        var csharp = await fixture.Cli.Run("verify-bundle", fixture.Bundle, "--key", fixture.PublicKey);
        var python = await Python(fixture.Bundle, fixture.PublicKey);

        Assert.True(csharp.ExitCode == 0, csharp.Out + csharp.Error);
        Assert.True(python.ExitCode == 0, python.Out + python.Error);
        Assert.Empty(Failed(csharp.Out));
        var events = bundle["events"]!.AsArray();
        var contributions = bundle["derivation"]!["contributions"]!.AsArray();
        Assert.Contains(contributions, c => c!["correctionHash"] is not null);
        Assert.Equal(contributions.Count + 1, events.Count);
        Assert.Equal(2 * events.Count, csharp.Out.Split('\n').Count(l => l.Contains("inclusion:", StringComparison.Ordinal) || l.Contains("event-hash:", StringComparison.Ordinal)));
        Assert.Equal(Lines(csharp.Out).Count, Lines(python.Out).Count);
        var checkpoint = Checkpoint.Parse(bundle["checkpoint"]!.GetValue<string>());
        Assert.True(checkpoint.IsSignedBy(LedgerVerifyingKey.Load(fixture.PublicKey)));
        Assert.Equal(fixture.Cli.Clock.GetUtcNow(), checkpoint.Time);
    }

    [Theory]
    [MemberData(nameof(BadBundles))]
    public async Task Each_kind_of_bad_bundle_is_refused_by_both_verifiers_naming_the_same_checks(string tamper, string[] expected)
    {
        var (path, key) = await Tampered(tamper);

        var csharp = await fixture.Cli.Run("verify-bundle", path, "--key", key, "--model-hash", BundleFixture.ModelHash);
        var python = await Python(path, key);

        Assert.True(csharp.ExitCode == 3, $"C#: {csharp.ExitCode}\n{csharp.Out}{csharp.Error}");
        Assert.True(python.ExitCode == 3, $"Python: {python.ExitCode}\n{python.Out}{python.Error}");
        Assert.Equal(expected.Order(), Failed(csharp.Out));
        Assert.Equal(expected.Order(), Failed(python.Out));
        Assert.Contains("error: the bundle does not verify", csharp.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_lists_the_hash_that_a_bundle_scored_with_the_model_carries()
    {
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(fixture.Bundle))!;
        var models = await fixture.Cli.Run("models", "--json");

        Assert.Equal(0, models.ExitCode);
        var rows = JsonNode.Parse(models.Out)!.AsArray();
        Assert.Equal(ModelCatalog.Bundled.All.Count(), rows.Count);
        var row = Assert.Single(rows, r => r!["model"]!.GetValue<string>() == $"{bundle["model"]!["id"]}@{bundle["model"]!["version"]}");
        Assert.Equal(bundle["modelHash"]!.GetValue<string>(), row!["hash"]!.GetValue<string>());
        Assert.Equal(rows.Count, rows.Select(r => r!["hash"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task Verify_bundle_trusts_the_shipped_models_hash_by_default_and_names_an_unusable_key_or_file()
    {
        var (altered, key) = await Tampered("model weight and model hash altered");

        var byDefault = await fixture.Cli.Run("verify-bundle", altered, "--key", key);
        var badKey = await fixture.Cli.Run("verify-bundle", fixture.Bundle, "--key", fixture.Bundle);
        var noFile = await fixture.Cli.Run("verify-bundle", CliRunner.NewPath(".bundle.json"), "--key", fixture.PublicKey);

        Assert.Equal(3, byDefault.ExitCode);
        Assert.Contains($"FAILED model-hash: modelHash is the trusted {BundleFixture.ModelHash} (the model shipped with this ledger)", byDefault.Out, StringComparison.Ordinal);
        Assert.Equal(1, badKey.ExitCode);
        Assert.StartsWith("error: --key:", badKey.Error, StringComparison.Ordinal);
        Assert.Equal(1, noFile.ExitCode);
        Assert.StartsWith("error: file:", noFile.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", badKey.Error + noFile.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_against_a_checkpoint_older_than_the_counted_events_writes_no_bundle()
    {
        var old = CliRunner.NewPath(Checkpoint.FileExtension);
        var cli = new CliRunner();
        Assert.Equal(0, (await cli.Run("checkpoint", "-o", old, "--key", fixture.PrivateKey)).ExitCode);
        Assert.Equal(0, (await cli.Run("seed")).ExitCode);
        var path = CliRunner.NewPath(".bundle.json");

        var result = await cli.Run("explain", "ARM-AZE", "--bundle", path, "--checkpoint", old);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("error: no bundle written:", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Equal(1, (await cli.Run("explain", "ARM-AZE", "--checkpoint", old)).ExitCode);
    }

    [Fact]
    public async Task Explain_against_a_checkpoint_of_another_ledger_writes_no_bundle()
    {
        var foreign = CliRunner.NewPath(Checkpoint.FileExtension);
        var other = new CliRunner();
        other.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await other.Run("seed")).ExitCode);
        Assert.Equal(0, (await other.Run("checkpoint", "-o", foreign, "--key", fixture.PrivateKey)).ExitCode);
        var path = CliRunner.NewPath(".bundle.json");

        var result = await fixture.Cli.Run("explain", "ARM-AZE", "--bundle", path, "--checkpoint", foreign);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("does not have the checkpoint's root", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    private async Task<(string Path, string Key)> Tampered(string tamper)
    {
        var text = await File.ReadAllTextAsync(fixture.Bundle);
        var bundle = JsonNode.Parse(text)!.AsObject();
        var events = bundle["events"]!.AsArray();
        var derivation = bundle["derivation"]!.AsObject();
        var contributions = derivation["contributions"]!.AsArray();
        var correction = events.First(e => e!["type"]!.GetValue<string>() == "interaction-corrected")!;
        var plain = events.First(e => e!["type"]!.GetValue<string>() != "interaction-corrected" && e["eventId"]!.GetValue<string>() != fixture.CorrectedEventId)!;
        var key = fixture.PublicKey;
        switch (tamper)
        {
            case "event data altered":
                plain["data"] = plain["data"]!.GetValue<string>().Replace("\"summary\":\"", "\"summary\":\"Not ", StringComparison.Ordinal);
                break;
            case "event hash input altered":
                var input = JsonNode.Parse(Convert.FromBase64String(plain["hashInput"]!.GetValue<string>()))!.AsArray();
                var cameo = contributions.First(c => c!["eventId"]!.GetValue<string>() == plain["eventId"]!.GetValue<string>())!["cameoCode"]!.GetValue<string>();
                var data = input[7]!.GetValue<string>();
                input[7] = data.Replace($"\"cameoCode\":\"{cameo}\"", "\"cameoCode\":\"010\"", StringComparison.Ordinal);
                Assert.NotEqual(data, input[7]!.GetValue<string>());
                plain["hashInput"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(input.ToJsonString()));
                break;
            case "event stream version altered":
                plain["streamVersion"] = plain["streamVersion"]!.GetValue<long>() + 1;
                break;
            case "proof element altered":
                var proof = plain["proof"]!.AsArray();
                var hex = proof[0]!.GetValue<string>();
                proof[0] = (hex[0] == '0' ? "1" : "0") + hex[1..];
                break;
            case "proof cut short":
                plain["proof"]!.AsArray().RemoveAt(0);
                break;
            case "leaf index altered":
                plain["leafIndex"] = plain["leafIndex"]!.GetValue<long>() ^ 1;
                break;
            case "model weight altered":
            case "model weight and model hash altered":
                var code = contributions[^1]!["cameoCode"]!.GetValue<string>();
                bundle["model"]!["weights"]![code] = "9.9";
                if (tamper == "model weight and model hash altered")
                {
                    var model = JsonSerializer.Deserialize<BundleModel>(bundle["model"]!.ToJsonString(), JsonSerializerOptions.Web)!;
                    bundle["modelHash"] = model.Hash();
                }

                break;
            case "score altered":
                derivation["score"] = derivation["score"]!.GetValue<decimal>() + 0.000001m;
                break;
            case "contribution value altered":
                contributions[0]!["value"] = contributions[0]!["value"]!.GetValue<decimal>() + 0.000001m;
                break;
            case "contribution age altered":
                contributions[0]!["ageDays"] = contributions[0]!["ageDays"]!.GetValue<int>() - 1;
                break;
            case "digest altered":
                var digest = derivation["digest"]!.GetValue<string>();
                derivation["digest"] = (digest[0] == 'a' ? "b" : "a") + digest[1..];
                break;
            case "checkpoint signature altered":
                var lines = bundle["checkpoint"]!.GetValue<string>().Split('\n');
                var signature = Convert.FromBase64String(lines[5]["signature ".Length..]);
                signature[0] ^= 0x01;
                lines[5] = "signature " + Convert.ToBase64String(signature);
                bundle["checkpoint"] = string.Join('\n', lines);
                break;
            case "checkpoint root altered":
                var cp = bundle["checkpoint"]!.GetValue<string>();
                var root = cp.Split('\n')[2];
                bundle["checkpoint"] = cp.Replace(root, "root " + (root[5] == '0' ? "1" : "0") + root[6..], StringComparison.Ordinal);
                break;
            case "event removed":
                events.Remove(plain);
                break;
            case "correction removed":
                events.Remove(correction);
                break;
            case "wrong key":
                var keys = Path.Combine(Path.GetDirectoryName(fixture.Bundle)!, Guid.NewGuid().ToString("N"));
                key = LedgerSigningKey.CreateFiles(keys).PublicPath;
                break;
            case "not a bundle":
                bundle = new JsonObject { ["format"] = "something else" };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tamper), tamper, "no such tamper");
        }

        var path = CliRunner.NewPath(".bundle.json");
        await File.WriteAllTextAsync(path, bundle.ToJsonString());
        return (path, key);
    }

    private static List<string> Lines(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("ok ", StringComparison.Ordinal) || l.StartsWith("FAILED ", StringComparison.Ordinal))];

    private static List<string> Failed(string output) =>
        [.. Lines(output).Where(l => l.StartsWith("FAILED ", StringComparison.Ordinal)).Select(l => l["FAILED ".Length..l.IndexOf(':', StringComparison.Ordinal)]).Distinct().Order()];

    /// <summary>Runs tools/verify_bundle.py as a real process; fails, never skips, when python3 cannot be started.</summary>
    private static async Task<CliResult> Python(string bundle, string key)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Script(), bundle, "--key", key, "--model-hash", BundleFixture.ModelHash })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Assert.Fail($"The second verifier needs python3 (3.11 with the 'cryptography' package) on PATH: {e.Message}");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return new CliResult(process.ExitCode, await output, await error);
        }
    }

    private static string Script()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "tools", "verify_bundle.py");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException("tools/verify_bundle.py is not above the test's folder");
    }
}
