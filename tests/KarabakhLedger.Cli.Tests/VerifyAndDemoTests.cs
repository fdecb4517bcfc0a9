using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Cli.Tests;

public sealed class VerifyAndDemoTests
{
    [Fact]
    public async Task Verify_passes_on_an_intact_ledger_and_names_the_first_broken_link_otherwise()
    {
        var cli = new CliRunner();
        await cli.Run("seed");

        var intact = await cli.Run("verify");
        await using (var connection = new SqliteConnection($"Data Source={cli.StorePath};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ledger_events SET data = replace(data, '\"summary\":\"', '\"summary\":\"Allegedly: ') WHERE stream_id = 'dyad-TUR-UKR' AND stream_version = 2";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var broken = await cli.Run("verify");

        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("every hash chain is intact", intact.Out);
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("BROKEN: dyad-TUR-UKR version 2", broken.Error);
    }

    [Fact]
    public async Task Demo_seeds_a_fresh_ledger_and_reports_every_dyad()
    {
        var cli = new CliRunner();
        var path = CliRunner.NewPath(".db");

        var demo = await cli.Run("demo", "--store", path);

        Assert.Equal(0, demo.ExitCode);
        foreach (var dyad in new[] { "RUS-TUR", "TUR-UKR", "RUS-UKR", "ARM-AZE", "ARM-RUS", "AZE-RUS", "AZE-TUR" })
        {
            Assert.Contains(dyad, demo.Out);
        }

        Assert.Contains("Verified:", demo.Out);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Demo_without_a_store_writes_into_one_folder_it_names()
    {
        var temp = Directory.CreateDirectory(CliRunner.NewPath("")).FullName;
        var cli = new CliRunner();
        cli.Environment["TMPDIR"] = temp;

        var demo = await cli.Run("demo");

        Assert.True(demo.ExitCode == 0, demo.Error);
        var folder = Assert.Single(Directory.GetFileSystemEntries(temp));
        Assert.Contains($"Folder: {folder} ", demo.Out, StringComparison.Ordinal);
        var written = Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).ToList();
        Assert.Contains("ledger.db", written);
        Assert.Contains("TUR-RUS.png", written);
        Assert.Contains(written, f => f!.StartsWith("ledger.projections", StringComparison.Ordinal));
        Assert.All(written, f => Assert.StartsWith(f!.EndsWith(".png", StringComparison.Ordinal) ? "TUR-RUS" : "ledger.", f, StringComparison.Ordinal));
        Assert.Contains($"Chart: {Path.Combine(folder, "TUR-RUS.png")}", demo.Out, StringComparison.Ordinal);
        Directory.Delete(temp, recursive: true);
    }

    [Fact]
    public async Task Actors_lists_the_registry()
    {
        var result = await new CliRunner().Run("actors");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("OSCEMG", result.Out);
        Assert.Contains("Türkiye", result.Out);
    }
}
