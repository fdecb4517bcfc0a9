using KarabakhLedger.Domain.Cameo;

namespace KarabakhLedger.Domain.Tests;

public sealed class CameoCatalogTests
{
    [Fact]
    public void The_whole_reference_table_is_loaded()
    {
        Assert.Equal(311, CameoCatalog.Default.Count);
        Assert.All(CameoCatalog.Default.All, e => Assert.InRange(e.Goldstein, -10m, 10m));
    }

    [Fact]
    public void Codes_are_strings_so_leading_zeros_matter()
    {
        Assert.True(CameoCatalog.Default.TryGet("010", out var statement));
        Assert.Equal(QuadClass.VerbalCooperation, statement.QuadClass);
        Assert.True(CameoCatalog.Default.TryGet("10", out var demand));
        Assert.Equal(QuadClass.VerbalConflict, demand.QuadClass);
        Assert.False(CameoCatalog.Default.TryGet("0100", out _));
    }

    [Fact]
    public void QuadClass_follows_the_root_code_by_GDELTs_rule()
    {
        Assert.All(CameoCatalog.Default.All, e =>
        {
            var root = int.Parse(e.RootCode, System.Globalization.CultureInfo.InvariantCulture);
            var expected = root <= 5 ? QuadClass.VerbalCooperation
                : root <= 9 ? QuadClass.MaterialCooperation
                : root <= 14 ? QuadClass.VerbalConflict
                : QuadClass.MaterialConflict;
            Assert.Equal(expected, e.QuadClass);
        });
    }

    [Fact]
    public void Weights_come_from_the_reference_file_not_from_code()
    {
        var reference = File.ReadLines(Path.Combine(RepoRoot(), "src/KarabakhLedger.Domain/Cameo/cameo_goldstein.tsv"))
            .Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(c => c[0], c => decimal.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(reference.Count, CameoCatalog.Default.Count);
        Assert.All(reference, r => Assert.Equal(r.Value, CameoCatalog.Default.Get(r.Key).Goldstein));
    }

    internal static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KarabakhLedger.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root.");
    }
}
