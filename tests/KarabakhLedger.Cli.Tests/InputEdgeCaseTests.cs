using System.Text.Json.Nodes;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Cli.Tests;

/// <summary>
/// The byte-level edge cases of <see cref="InputEdgeCase"/>, through a file and through stdin: the same answer, by the
/// command's own clock (a fake one, days before the machine's, so a date rule read from the wall clock would fail).
/// </summary>
public sealed class InputEdgeCaseTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    public static IEnumerable<object[]> Cases => InputEdgeCase.For(Body, Today).Select(c => new object[] { c });

    private static string Body(string summary, string occurredOn) => new JsonObject
    {
        ["type"] = "talks-held",
        ["cameoCode"] = "036",
        ["initiator"] = "GEO",
        ["target"] = "ARM",
        ["joint"] = true,
        ["occurredOn"] = occurredOn,
        ["theatre"] = "south-caucasus",
        ["summary"] = summary,
        ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "Example", ["title"] = "Talks", ["url"] = "https://example.org/t", ["accessed"] = "2022-09-20" }),
    }.ToJsonString();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_file_and_stdin_get_the_same_answer(InputEdgeCase edge)
    {
        var fromStdin = new CliRunner();
        var fromFile = new CliRunner();
        Assert.Equal(Today, DateOnly.FromDateTime(fromStdin.Clock.GetUtcNow().UtcDateTime));
        var path = CliRunner.NewPath(".json");
        await File.WriteAllBytesAsync(path, edge.Bytes);

        var stdin = await fromStdin.RunWithBytes(edge.Bytes, "record");
        var file = await fromFile.Run("record", path);

        Assert.Equal(stdin.ExitCode, file.ExitCode);
        Assert.Equal(stdin.Error, file.Error);
        if (edge.Accepted)
        {
            Assert.Equal(ExitCodes.Ok, stdin.ExitCode);
            Assert.Single((await fromStdin.Run("export")).Lines);
        }
        else
        {
            Assert.Equal(ExitCodes.InvalidInput, stdin.ExitCode);
            Assert.Equal($"error: the input was refused; nothing was written.{Environment.NewLine}  {edge.Field}: {edge.Rule}{Environment.NewLine}", stdin.Error);
            Assert.Empty((await fromStdin.Run("export")).Lines);
        }
    }
}
