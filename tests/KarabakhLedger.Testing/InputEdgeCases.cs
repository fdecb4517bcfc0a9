using System.Text;

namespace KarabakhLedger.Testing;

/// <summary>
/// Byte-level inputs that every channel (a file, stdin, an HTTP body) must treat alike: each is accepted, or is
/// refused naming <see cref="Field"/> with a rule containing <see cref="Rule"/>.
/// </summary>
public sealed record InputEdgeCase(string Name, byte[] Bytes, string? Field, string? Rule)
{
    /// <summary>A marker the cases put into the summary, for the ones that edit it at byte level.</summary>
    private const string Marker = "EDGE-CASE";

    public bool Accepted => Field is null;

    public override string ToString() => Name;

    /// <summary>
    /// The cases, built from one valid interaction as compact JSON (<paramref name="body"/>, given a summary and an
    /// occurred-on date), recorded on <paramref name="today"/>.
    /// </summary>
    public static IReadOnlyList<InputEdgeCase> For(Func<string, string, string> body, DateOnly today)
    {
        const string past = "2022-03-10";
        byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        var marked = body($"Summary {Marker} {Guid.NewGuid():N}.", past);
        var invalid = Utf8(marked);
        var at = Encoding.UTF8.GetByteCount(marked.AsSpan(0, marked.IndexOf(Marker, StringComparison.Ordinal)));
        invalid[at] = 0xC3;
        invalid[at + 1] = 0x28;
        var summaryKey = "\"summary\":";
        return
        [
            new("byte-order mark", [.. Encoding.UTF8.Preamble, .. Utf8(body($"With a BOM {Guid.NewGuid():N}.", past))], null, null),
            new("invalid UTF-8", invalid, "(input)", $"must be UTF-8 text: an invalid byte sequence at byte {at + 1}"),
            new("lone surrogate", Utf8(marked.Replace(Marker, "\\ud800", StringComparison.Ordinal)), "summary", "lone surrogate"),
            new("duplicate key", Utf8(marked.Replace(summaryKey, $"{summaryKey}\"first\",{summaryKey}", StringComparison.Ordinal)), "summary", "appears more than once"),
            new("dated tomorrow", Utf8(body($"Forecast {Guid.NewGuid():N}.", today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
                "occurredOn", "begins after the day it is recorded"),
        ];
    }
}
