using System.Globalization;

namespace KarabakhLedger.Domain.Time;

/// <summary>How much of a date the source supports.</summary>
public enum DatePrecision
{
    Year,
    Month,
    Day,
}

/// <summary>
/// A calendar date known to a day, a month or a year ("late April 2022" is April 2022, never an invented day).
/// It covers the closed interval <see cref="Start"/>..<see cref="End"/>; its text form is <c>YYYY</c>,
/// <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, and a value that names no real date cannot be constructed.
/// </summary>
public readonly record struct PartialDate : IComparable<PartialDate>
{
    public PartialDate(int year, int? month = null, int? day = null)
    {
        if (year is < 1 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "The year must be between 1 and 9999.");
        }

        if (month is { } m && m is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "The month must be between 1 and 12.");
        }

        if (day is not null && month is null)
        {
            throw new ArgumentException("A day needs a month.", nameof(day));
        }

        if (day is { } d && (d < 1 || d > DateTime.DaysInMonth(year, month!.Value)))
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"{year:D4}-{month:D2} has no day {d}.");
        }

        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }

    public int? Month { get; }

    public int? Day { get; }

    public DatePrecision Precision => Day is not null ? DatePrecision.Day
        : Month is not null ? DatePrecision.Month
        : DatePrecision.Year;

    /// <summary>The first day the date can mean.</summary>
    public DateOnly Start => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>The last day the date can mean.</summary>
    public DateOnly End => Precision switch
    {
        DatePrecision.Day => Start,
        DatePrecision.Month => Start.AddMonths(1).AddDays(-1),
        _ => new DateOnly(Year, 12, 31),
    };

    public static PartialDate FromDate(DateOnly date) => new(date.Year, date.Month, date.Day);

    /// <summary>Parses <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</summary>
    public static PartialDate Parse(string text) =>
        TryParse(text, out var date, out var error) ? date : throw new FormatException(error);

    public static bool TryParse(string? text, out PartialDate date, out string error)
    {
        date = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "must be a date written YYYY, YYYY-MM or YYYY-MM-DD";
            return false;
        }

        // YYYY, YYYY-MM or YYYY-MM-DD: dashes at 4 and 7, ASCII digits everywhere else.
        var written = text.Length is 4 or 7 or 10 && (text.Length < 7 || text[4] == '-') && (text.Length < 10 || text[7] == '-');
        for (var i = 0; written && i < text.Length; i++)
        {
            written = i is 4 or 7 || char.IsAsciiDigit(text[i]);
        }

        if (!written)
        {
            error = $"'{text}' must be written YYYY, YYYY-MM or YYYY-MM-DD";
            return false;
        }

        var year = int.Parse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
        int? month = text.Length > 4 ? int.Parse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture) : null;
        int? day = text.Length > 7 ? int.Parse(text.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture) : null;
        try
        {
            date = new PartialDate(year, month, day);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"'{text}' is not a real date: {FirstSentence(e.Message)}";
            return false;
        }
    }

    public int CompareTo(PartialDate other)
    {
        var byStart = Start.CompareTo(other.Start);
        return byStart != 0 ? byStart : End.CompareTo(other.End);
    }

    public static bool operator <(PartialDate left, PartialDate right) => left.CompareTo(right) < 0;

    public static bool operator <=(PartialDate left, PartialDate right) => left.CompareTo(right) <= 0;

    public static bool operator >(PartialDate left, PartialDate right) => left.CompareTo(right) > 0;

    public static bool operator >=(PartialDate left, PartialDate right) => left.CompareTo(right) >= 0;

    public override string ToString() => Precision switch
    {
        DatePrecision.Day => $"{Year:D4}-{Month:D2}-{Day:D2}",
        DatePrecision.Month => $"{Year:D4}-{Month:D2}",
        _ => $"{Year:D4}",
    };

    private static string FirstSentence(string message) =>
        message.Split(" (Parameter", 2)[0].Split(Environment.NewLine, 2)[0];
}
