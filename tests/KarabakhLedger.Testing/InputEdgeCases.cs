using System.Globalization;
using System.Text;

namespace KarabakhLedger.Testing;

/// <summary>
/// Byte-level inputs that every channel (a file, stdin, an HTTP body) must treat alike: each is accepted, or is
/// refused with exactly one error, on <see cref="Field"/>, whose rule is exactly <see cref="Rule"/>.
/// </summary>
public sealed record InputEdgeCase(string Name, byte[] Bytes, string? Field, string? Rule)
{
    private const string LoneSurrogate = "must be Unicode text: it holds a lone surrogate escape (\\uD800–\\uDFFF without its pair)";
    private const string Duplicate = "appears more than once in one object; give each field once";

    public bool Accepted => Field is null;

    public override string ToString() => Name;

    /// <summary>
    /// The cases, built from one valid bilateral interaction as compact JSON (<paramref name="body"/>, given a summary
    /// and an occurred-on date) with a <c>summary</c> and a first source with a <c>title</c> and a <c>url</c>, recorded
    /// on <paramref name="today"/> (UTC).
    /// </summary>
    public static IReadOnlyList<InputEdgeCase> For(Func<string, string, string> body, DateOnly today)
    {
        const string past = "2022-03-10";
        byte[] Json(string marker = "") => Encoding.UTF8.GetBytes(body($"Summary {marker}{Guid.NewGuid():N}.", past));
        string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Future(string occurredOn) =>
            $"{occurredOn} begins after the day it is recorded ({Day(today)}); the ledger records what has happened, not forecasts or plans";
        InputEdgeCase Invalid(string name, string needle, byte[] with, int shift, string field, string sequence, byte[]? prefix = null)
        {
            var (bytes, at) = Splice(Json("EDGE "), needle, with);
            var offset = (prefix?.Length ?? 0) + at + shift + 1;
            return new(name, [.. prefix ?? [], .. bytes], field, $"must be UTF-8 text: an invalid UTF-8 byte sequence ({sequence}) at byte {offset}");
        }

        InputEdgeCase Escaped(string name, string needle, string with, string field, string? rule) =>
            new(name, Splice(Json("EDGE "), needle, Encoding.UTF8.GetBytes(with)).Bytes, rule is null ? null : field, rule);

        byte[] Dated(string occurredOn) => Encoding.UTF8.GetBytes(body($"Dated {Guid.NewGuid():N}.", occurredOn));
        var tomorrow = Day(today.AddDays(1));
        var nextMonth = today.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        byte[] mark = [.. Encoding.UTF8.Preamble];
        return
        [
            new("byte-order mark", [.. mark, .. Json()], null, null),
            new("two byte-order marks", [.. mark, .. mark, .. Json()], "(input)", "must be well-formed JSON: '0xEF' is an invalid start of a value. (line 1, byte 4)"),
            new("UTF-16 with its byte-order mark", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(Json()))], "(input)",
                "must be UTF-8 text: an invalid UTF-8 byte sequence (0xFF) at byte 1"),
            Invalid("invalid UTF-8 in a field", "EDGE", [0xC3, 0x28], 0, "summary", "0xC3"),
            Invalid("invalid UTF-8 after a byte-order mark", "EDGE", [0xC3, 0x28], 0, "summary", "0xC3", mark),
            Invalid("an encoded surrogate (CESU-8)", "EDGE", [0xED, 0xA0, 0x80], 0, "summary", "0xED"),
            Invalid("a truncated character", "EDGE", [0xE2, 0x82], 0, "summary", "0xE2 0x82"),
            Invalid("Latin-1 text in a nested field", "\"title\":\"", [.. "\"title\":\"T"u8, 0xFC, .. "rkiye "u8], 10, "sources[0].title", "0xFC"),
            Invalid("invalid UTF-8 in a key", "\"summary\"", [.. "\"summ"u8, 0xFF, .. "ary\""u8], 5, "(key)", "0xFF"),
            Invalid("invalid UTF-8 outside any string", "{", [(byte)'{', 0xFF], 1, "(input)", "0xFF"),
            Escaped("a lone surrogate", "EDGE", "\\ud800", "summary", LoneSurrogate),
            Escaped("a lone low surrogate in a nested field", "\"title\":\"", "\"title\":\"\\udc00", "sources[0].title", LoneSurrogate),
            Escaped("a reversed surrogate pair", "EDGE", "\\ude00\\ud83d", "summary", LoneSurrogate),
            Escaped("a lone surrogate in a key", "\"summary\":", "\"s\\ud800\":1,\"summary\":", "(key)", "must be Unicode text: a key holds a lone surrogate escape"),
            Escaped("a surrogate pair", "EDGE", "\\ud83d\\ude00", "summary", null),
            Escaped("a duplicate key", "\"summary\":", "\"summary\":\"first\",\"summary\":", "summary", Duplicate),
            Escaped("a duplicate key spelt with an escape", "\"summary\":", "\"summ\\u0061ry\":\"first\",\"summary\":", "summary", Duplicate),
            Escaped("a duplicate nested key", "\"url\":", "\"url\":\"https://example.org/first\",\"url\":", "sources[0].url", Duplicate),
            new("dated today", Dated(Day(today)), null, null),
            new("dated tomorrow", Dated(tomorrow), "occurredOn", Future(tomorrow)),
            new("dated next month", Dated(nextMonth), "occurredOn", Future(nextMonth)),
        ];
    }

    /// <summary>Replaces the first occurrence of ASCII <paramref name="needle"/>; returns the bytes and where it was.</summary>
    private static (byte[] Bytes, int At) Splice(byte[] source, string needle, byte[] with)
    {
        var at = source.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle));
        if (at < 0)
        {
            throw new ArgumentException($"The body holds no '{needle}'.", nameof(source));
        }

        return ([.. source[..at], .. with, .. source[(at + needle.Length)..]], at);
    }
}
