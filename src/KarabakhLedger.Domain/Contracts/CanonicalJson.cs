using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KarabakhLedger.Domain.Contracts;

/// <summary>
/// One text for one JSON value, whatever store kept it: object members sorted by ordinal name, no whitespace,
/// strings re-escaped the same way, numbers as written. PostgreSQL's jsonb reorders keys and drops
/// whitespace; hashing this form instead of the stored text makes a hash mean the same on every store.
/// </summary>
/// <remarks>
/// Names and strings that hold no escape are copied as the UTF-8 bytes the document already has, and names are
/// compared as those bytes: UTF-8 byte order is UTF-16 ordinal order for every character below U+E000, so a name
/// holding a lead byte of U+E000 or above (0xEE and up), or an escape, is compared as a string instead.
/// </remarks>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The strict UTF-8 of .NET's JSON reader: a lone surrogate is an error, not a replacement character.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Canonicalize(string json)
    {
        if (IsCanonical(json))
        {
            return json;
        }

        using var document = JsonDocument.Parse(json);
        return Canonicalize(document.RootElement);
    }

    public static string Canonicalize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, element);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the canonical UTF-8 text of <paramref name="json"/> to <paramref name="output"/>, the bytes of <see cref="Canonicalize(string)"/>.</summary>
    public static void Canonicalize(string json, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(StrictUtf8.GetMaxByteCount(json.Length));
        if (TryEncode(json, span, out var written) && IsCanonical(span[..written]))
        {
            output.Advance(written);
            return;
        }

        using var document = JsonDocument.Parse(json);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(writer, document.RootElement);
    }

    /// <summary>Whether <paramref name="json"/> is already its own canonical text (<see cref="IsCanonical(ReadOnlySpan{byte})"/>).</summary>
    public static bool IsCanonical(string json)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetMaxByteCount(json.Length));
        try
        {
            return TryEncode(json, buffer, out var written) && IsCanonical(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether <paramref name="utf8"/> is already the canonical text of the value it holds, so that canonicalizing it
    /// would give it back byte for byte: told in one reader pass, with no document and no rewrite. It holds when there
    /// is no whitespace between tokens, every object's names are in order, and every string is escaped exactly as the
    /// writer escapes it (a name, not at all). False also whenever that is not cheap to tell (a name with a character at or
    /// above U+E000, which the sort compares as a string) and for text that is not JSON: the caller then takes the
    /// full path, which gives the canonical text or the parse error.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return IsCanonicalJson(utf8);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsCanonicalJson(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        var lastNames = new List<(int Start, int Length)>();
        var end = 0;
        while (reader.Read())
        {
            var start = checked((int)reader.TokenStartIndex);
            var gap = start - end;
            if (gap > 1 || (gap == 1 && utf8[end] is not ((byte)',' or (byte)':')))
            {
                return false;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    SetLastName(lastNames, reader.CurrentDepth + 1, (-1, 0));
                    end = start + 1;
                    break;
                case JsonTokenType.PropertyName:
                    if (reader.ValueIsEscaped || !IsCanonicalString(ref reader) || reader.ValueSpan.IndexOfAnyInRange((byte)0xEE, (byte)0xFF) >= 0)
                    {
                        return false;
                    }

                    var name = (Start: start + 1, reader.ValueSpan.Length);
                    var last = lastNames[reader.CurrentDepth];
                    if (last.Start >= 0 && utf8.Slice(last.Start, last.Length).SequenceCompareTo(reader.ValueSpan) > 0)
                    {
                        return false;
                    }

                    lastNames[reader.CurrentDepth] = name;
                    end = start + reader.ValueSpan.Length + 2;
                    break;
                case JsonTokenType.String:
                    if (!IsCanonicalString(ref reader))
                    {
                        return false;
                    }

                    end = start + reader.ValueSpan.Length + 2;
                    break;
                case JsonTokenType.StartArray or JsonTokenType.EndArray or JsonTokenType.EndObject:
                    end = start + 1;
                    break;
                default:
                    end = start + reader.ValueSpan.Length;
                    break;
            }
        }

        return end == utf8.Length;
    }

    /// <summary>
    /// A string token as the writer writes its value: nothing to escape and no escape, or escapes exactly where and as
    /// the encoder puts them (the writer hands every string with something to escape to the encoder).
    /// </summary>
    private static bool IsCanonicalString(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var encoder = WriterOptions.Encoder!;
        if (!reader.ValueIsEscaped)
        {
            return encoder.FindFirstCharacterToEncodeUtf8(raw) < 0;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(2 * raw.Length);
        try
        {
            var value = buffer.AsSpan(0, raw.Length);
            var escaped = buffer.AsSpan(raw.Length, raw.Length);
            var length = reader.CopyString(value);
            return encoder.EncodeUtf8(value[..length], escaped, out _, out var written) == OperationStatus.Done
                && escaped[..written].SequenceEqual(raw);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void SetLastName(List<(int Start, int Length)> lastNames, int depth, (int Start, int Length) name)
    {
        while (lastNames.Count <= depth)
        {
            lastNames.Add((-1, 0));
        }

        lastNames[depth] = name;
    }

    private static bool TryEncode(string json, Span<byte> destination, out int written)
    {
        try
        {
            written = StrictUtf8.GetBytes(json, destination);
            return true;
        }
        catch (EncoderFallbackException)
        {
            written = 0;
            return false;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var members = SortedMembers(element);
                foreach (var member in members)
                {
                    if (member.Name is { } name)
                    {
                        writer.WritePropertyName(name);
                    }
                    else
                    {
                        writer.WritePropertyName(JsonMarshal.GetRawUtf8PropertyName(member.Property));
                    }

                    Write(writer, member.Property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element);
                var text = raw[1..^1];
                if (text.IndexOf((byte)'\\') < 0)
                {
                    writer.WriteStringValue(text);
                }
                else
                {
                    writer.WriteStringValue(element.GetString());
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>The object's members by ordinal name, members of equal names in document order.</summary>
    private static Member[] SortedMembers(JsonElement element)
    {
        var members = new List<Member>();
        var asBytes = true;
        foreach (var property in element.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            var plain = raw.IndexOf((byte)'\\') < 0 && raw.IndexOfAnyInRange((byte)0xEE, (byte)0xFF) < 0;
            asBytes &= plain;
            members.Add(new Member(property, plain ? null : property.Name, members.Count));
        }

        var sorted = members.ToArray();
        if (asBytes)
        {
            Array.Sort(sorted, static (a, b) =>
            {
                var byName = JsonMarshal.GetRawUtf8PropertyName(a.Property).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b.Property));
                return byName != 0 ? byName : a.Order.CompareTo(b.Order);
            });
        }
        else
        {
            Array.Sort(sorted, static (a, b) =>
            {
                var byName = string.CompareOrdinal(a.Name ?? a.Property.Name, b.Name ?? b.Property.Name);
                return byName != 0 ? byName : a.Order.CompareTo(b.Order);
            });
        }

        return sorted;
    }

    /// <summary>A member, with its name as a string when its raw bytes cannot stand for it.</summary>
    private readonly record struct Member(JsonProperty Property, string? Name, int Order);
}
