using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// Turns the bytes of a recording (a file, stdin or an HTTP body) into text by one rule everywhere: UTF-8; any invalid
/// byte sequence is refused with the field whose string holds it (<c>(input)</c> outside any string), its bytes and
/// its offset in the input. A leading byte-order mark is kept as U+FEFF, for <see cref="RecordingParser.ParseBatch"/>
/// to drop (once: bytes and text alike).
/// </summary>
public static class RecordingText
{
    /// <exception cref="LedgerValidationException">the bytes are not UTF-8 text.</exception>
    public static string FromUtf8(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        if (Utf8.ToUtf16(bytes, chars, out var valid, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            return new string(chars, 0, written);
        }

        Rune.DecodeFromUtf8(bytes[valid..], out _, out var length);
        var sequence = string.Join(" ", bytes.Slice(valid, length).ToArray().Select(b => $"0x{b:X2}"));
        var offset = (valid + 1).ToString(CultureInfo.InvariantCulture);
        var mark = bytes.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        throw new LedgerValidationException(FieldAt(bytes[mark..], valid - mark), $"must be UTF-8 text: an invalid UTF-8 byte sequence ({sequence}) at byte {offset}");
    }

    /// <summary>Reads all of <paramref name="stream"/> and applies <see cref="FromUtf8"/>.</summary>
    public static async Task<string> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return FromUtf8(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>The UTF-8 length of the leading byte-order mark of <paramref name="text"/>: 3, or 0 without one.</summary>
    public static int ByteOrderMarkLength(string text) => text.StartsWith('\uFEFF') ? Encoding.UTF8.Preamble.Length : 0;

    /// <summary>
    /// The path (as <see cref="RecordingParser"/> names fields) of the JSON string that the byte at <paramref name="at"/>
    /// falls in, read from the valid UTF-8 before it: a value's field, <c>(key)</c> under its object for a key, or
    /// <c>(input)</c> when the byte is outside any string or the JSON before it is malformed.
    /// </summary>
    private static string FieldAt(ReadOnlySpan<byte> json, int at)
    {
        var reader = new Utf8JsonReader(json[..at], isFinalBlock: false, state: default);
        var path = new List<(bool Array, string Key, int Index)>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    path.RemoveAt(path.Count - 1);
                }
                else if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    path[^1] = path[^1] with { Key = reader.GetString() ?? "" };
                }
                else
                {
                    if (path.Count > 0 && path[^1].Array)
                    {
                        path[^1] = path[^1] with { Index = path[^1].Index + 1 };
                    }

                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        path.Add((reader.TokenType == JsonTokenType.StartArray, "", -1));
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "(input)";
        }

        var rest = json[(int)reader.BytesConsumed..at].TrimStart(" \t\r\n,:"u8);
        if (path.Count == 0 || rest.IsEmpty || rest[0] != (byte)'"')
        {
            return "(input)";
        }

        var inKey = !path[^1].Array && reader.TokenType != JsonTokenType.PropertyName;
        if (path[^1].Array)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }

        var field = new StringBuilder();
        foreach (var (array, key, index) in path.Take(inKey ? path.Count - 1 : path.Count))
        {
            field.Append(array ? $"[{index.ToString(CultureInfo.InvariantCulture)}]" : field.Length == 0 ? key : $".{key}");
        }

        return inKey ? (field.Length == 0 ? "(key)" : $"{field}.(key)") : field.ToString();
    }
}
