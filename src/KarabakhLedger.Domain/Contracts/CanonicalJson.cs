using System.Buffers;
using System.Runtime.InteropServices;
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

    public static string Canonicalize(string json)
    {
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
        using var document = JsonDocument.Parse(json);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(writer, document.RootElement);
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
