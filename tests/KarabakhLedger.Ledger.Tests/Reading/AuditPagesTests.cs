using System.Text.Json;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Tests.Reading;

/// <summary>
/// The audit's reading: its JSON check must accept exactly what a full parse accepts (a malformed row that slipped
/// through would be hashed instead of named), and its read-ahead must give every row once, in order, whatever the
/// page boundaries.
/// </summary>
public sealed class AuditPagesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData(" [1, 2] ")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1}{\"b\":2}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("// comment\n{}")]
    [InlineData("\"text\"")]
    [InlineData("01")]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"a\":\"\ud800\"}")]
    [InlineData("nul")]
    public void A_text_is_json_exactly_when_a_full_parse_accepts_it(string text)
    {
        Assert.Equal(FullParseAccepts(text), AuditPages.IsJson(text));
    }

    [Fact]
    public void Random_texts_near_json_are_judged_as_a_full_parse_judges_them()
    {
        var random = new Random(5);
        var pieces = new[] { "{", "}", "[", "]", "\"a\"", ":", ",", "1", "-0.5e3", "true", "null", " ", "\"\\u00e9\"", "x", "\"", "\\" };
        var judged = new int[2];
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            var accepted = FullParseAccepts(text);
            Assert.True(accepted == AuditPages.IsJson(text), text);
            judged[accepted ? 1 : 0]++;
        }

        Assert.True(judged[1] > 100, $"only {judged[1]} random texts were JSON");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public async Task Pages_read_ahead_give_every_row_once_in_order(int rows)
    {
        const int pageSize = 8;
        var reads = new List<long>();
        Task<List<long>> ReadAfter(long after, CancellationToken _)
        {
            lock (reads)
            {
                reads.Add(after);
            }

            return Task.Run(() => Enumerable.Range(1, rows).Select(n => (long)n).Where(p => p > after).Take(pageSize).ToList());
        }

        var read = new List<long>();
        await foreach (var row in AuditPages.ReadAsync(ReadAfter, p => p, p => new AuditRow(p, "s", p, null, Malformed: "test"), pageSize))
        {
            read.Add(row.Position);
        }

        Assert.Equal(Enumerable.Range(1, rows).Select(n => (long)n), read);
        Assert.Equal(rows / pageSize + 1, reads.Count);
    }

    private static bool FullParseAccepts(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return false;
        }
    }
}
