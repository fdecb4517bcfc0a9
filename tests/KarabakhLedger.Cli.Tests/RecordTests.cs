using KarabakhLedger.Testing;

namespace KarabakhLedger.Cli.Tests;

public sealed class RecordTests
{
    private const string Valid = """
        {
          "type": "arms-sold", "cameoCode": "062", "initiator": "TUR", "target": "UKR", "occurredOn": "2019-01",
          "theatre": "black-sea-ukraine", "summary": "Ukraine buys Bayraktar TB2 drones.",
          "figures": [ { "name": "drones", "value": 6, "unit": "TB2" } ],
          "sources": [ { "outlet": "Example", "title": "Drone deal", "url": "https://example.org/tb2", "accessed": "2022-09-20" } ]
        }
        """;

    private static string Broken(string from, string to) => Valid.Replace(from, to, StringComparison.Ordinal);

    [Fact]
    public async Task Recording_from_stdin_appends_and_resending_appends_nothing()
    {
        var cli = new CliRunner();

        var first = await cli.RunWithInput(Valid, "record");
        var again = await cli.RunWithInput(Valid, "record", "-");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("1 events appended", first.Out);
        Assert.Contains("0 events appended, 1 already there", again.Out);
        Assert.Single((await cli.Run("export")).Lines);
    }

    [Fact]
    public async Task Recording_from_a_file_works_and_a_missing_file_is_named()
    {
        var cli = new CliRunner();
        var path = CliRunner.NewPath(".json");
        await File.WriteAllTextAsync(path, Valid);

        var ok = await cli.Run("record", path);
        var missing = await cli.Run("record", path + ".nope");

        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
    }

    [Theory]
    [InlineData("\"initiator\": \"TUR\"", "\"initiator\": \"XYZ\"", "initiator: 'XYZ' is not a known actor code")]
    [InlineData("\"target\": \"UKR\"", "\"target\": \"TUR\"", "target: must differ from initiator")]
    [InlineData("\"cameoCode\": \"062\"", "\"cameoCode\": \"62\"", "cameoCode: '62' is not a CAMEO code")]
    [InlineData("\"occurredOn\": \"2019-01\"", "\"occurredOn\": \"2019-02-29\"", "occurredOn: '2019-02-29' is not a real date")]
    [InlineData("\"sources\": [", "\"sources\": [], \"x\": [", "sources: must list at least 1")]
    [InlineData("\"summary\"", "\"summary\" \"", "(input): must be well-formed JSON")]
    [InlineData("\"value\": 6", "\"value\": \"six\"", "figures[0].value: must be a number")]
    public async Task Bad_input_exits_non_zero_names_the_field_and_the_rule_and_appends_nothing(string from, string to, string message)
    {
        var cli = new CliRunner();
        await cli.Run("seed");
        var before = (await cli.Run("export")).Out;

        var result = await cli.RunWithInput($"[{Valid.Replace("TB2 drones", "other drones", StringComparison.Ordinal)}, {Broken(from, to)}]", "record");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Contains("nothing was written", result.Error);
        Assert.Equal(before, (await cli.Run("export")).Out);
    }

    [Fact]
    public async Task An_unusable_store_is_one_clear_line_with_its_own_exit_code()
    {
        var cli = new CliRunner();
        var directory = TestFolders.Create("karabakh-").FullName;

        var result = await cli.Run("events", "--store", directory);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: Cannot open the SQLite ledger", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
