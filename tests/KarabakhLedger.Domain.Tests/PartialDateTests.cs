using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Domain.Tests;

public sealed class PartialDateTests
{
    private static readonly string[] Unordered = ["2022-03", "2022", "2022-02-24", "2021-12-31", "2022-01"];

    [Theory]
    [InlineData("2022", DatePrecision.Year, "2022-01-01", "2022-12-31")]
    [InlineData("2022-04", DatePrecision.Month, "2022-04-01", "2022-04-30")]
    [InlineData("2024-02", DatePrecision.Month, "2024-02-01", "2024-02-29")]
    [InlineData("2022-02-24", DatePrecision.Day, "2022-02-24", "2022-02-24")]
    public void A_date_covers_the_days_its_precision_allows(string text, DatePrecision precision, string start, string end)
    {
        var date = PartialDate.Parse(text);

        Assert.Equal(precision, date.Precision);
        Assert.Equal(DateOnly.Parse(start), date.Start);
        Assert.Equal(DateOnly.Parse(end), date.End);
        Assert.Equal(text, date.ToString());
    }

    [Theory]
    [InlineData("2022-02-30", "no day 30")]
    [InlineData("2023-02-29", "no day 29")]
    [InlineData("2022-13", "month")]
    [InlineData("2022-00", "month")]
    [InlineData("22-04", "YYYY")]
    [InlineData("2022/04/01", "YYYY")]
    [InlineData("2022-4-1", "YYYY")]
    [InlineData("late April 2022", "YYYY")]
    [InlineData("", "YYYY")]
    public void An_impossible_or_malformed_date_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(PartialDate.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PartialDate.Parse(text));
    }

    [Fact]
    public void The_constructor_refuses_a_day_without_a_month()
    {
        Assert.Throws<ArgumentException>(() => new PartialDate(2022, null, 3));
    }

    [Fact]
    public void Dates_order_by_start_then_by_end()
    {
        var dates = Unordered.Select(PartialDate.Parse).Order().Select(d => d.ToString());

        Assert.Equal(["2021-12-31", "2022-01", "2022", "2022-02-24", "2022-03"], dates);
    }

    [Theory]
    [InlineData("2022-01", "2022", true)]
    [InlineData("2022", "2022-01", false)]
    [InlineData("2021-12-31", "2022", true)]
    [InlineData("2022-02-24", "2022-02-24", false)]
    public void The_comparison_operators_follow_the_order(string left, string right, bool less)
    {
        var (a, b) = (PartialDate.Parse(left), PartialDate.Parse(right));
        var equal = a.CompareTo(b) == 0;

        Assert.Equal(less, a < b);
        Assert.Equal(less || equal, a <= b);
        Assert.Equal(!less && !equal, a > b);
        Assert.Equal(!less, a >= b);
        Assert.Equal(less, b > a);
    }
}
