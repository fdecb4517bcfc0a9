using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Tests.Hashing;

/// <summary>
/// Event hashes are stored in every ledger and signed into its checkpoints: the way they are computed may get
/// faster, their values may never change. Pinned here are hashes computed before the hash was rewritten to work from
/// reused UTF-8 buffers (seed events and awkward JSON), and a reference that spells out the definition the slow way,
/// which the fast path must match byte for byte on every seed event and on random JSON.
/// </summary>
public sealed class EventHashTests
{
    [Fact]
    public void The_pinned_hashes_of_seed_events_and_awkward_json_do_not_change()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Hashing", "pinned-event-hashes.json")));
        var pinned = file.RootElement.EnumerateArray().ToArray();
        Assert.Equal(13, pinned.Length);
        foreach (var p in pinned)
        {
            var e = Event(p);
            Assert.Equal(p.GetProperty("hash").GetString(), EventHash.Compute(e));
            Assert.Equal(Reference.Preimage(e), EventHash.Preimage(e));
        }
    }

    [Fact]
    public void Every_seed_event_hashes_as_the_reference_does()
    {
        var events = SeedCorpus.Load().OfType<InteractionRecording>().SelectMany(r => r.Events)
            .Select(p => EventSerializer.Default.Serialize(p.Event)).ToArray();
        Assert.True(events.Length >= 60);
        var previous = EventHash.Genesis;
        var version = 0;
        foreach (var s in events)
        {
            var e = new StoredEvent(++version, "dyad-ARM-AZE", version, Guid.CreateVersion7(), s.Type, s.SchemaVersion, s.Json,
                EventHash.Truncate(DateTimeOffset.UnixEpoch.AddDays(version)), previous, "");
            var hash = EventHash.Compute(e);
            Assert.Equal(Reference.Hash(e), hash);
            previous = hash;
        }
    }

    [Fact]
    public void Random_json_canonicalizes_and_hashes_as_the_reference_does()
    {
        var random = new Random(11);
        for (var i = 0; i < 3000; i++)
        {
            var json = RandomJson(random, depth: 0);
            var e = new StoredEvent(1, RandomString(random), 1, Guid.NewGuid(), "t", 1, json, DateTimeOffset.UnixEpoch, EventHash.Genesis, "");
            Assert.Equal(Reference.Canonicalize(json), CanonicalJson.Canonicalize(json));
            Assert.Equal(Reference.Hash(e), EventHash.Compute(e));
        }
    }

    /// <summary>
    /// Canonical text is copied, not rewritten (<see cref="CanonicalJson.IsCanonical(string)"/>), so that judgement must
    /// never be wrong: text judged canonical is exactly what the reference gives for it. Tried on canonical texts and
    /// on each of them slightly broken (a space, two characters swapped, a character escaped, members out of order).
    /// </summary>
    [Fact]
    public void Text_judged_canonical_is_exactly_its_canonical_form()
    {
        var random = new Random(12);
        var canonicalTexts = 0;
        var judgedCanonical = 0;
        for (var i = 0; i < 3000; i++)
        {
            var canonical = Reference.Canonicalize(RandomJson(random, depth: 0));
            foreach (var text in new[] { canonical, Broken(canonical, random) })
            {
                var reference = Record.Exception(() => Reference.Canonicalize(text)) is null ? Reference.Canonicalize(text) : null;
                var judged = CanonicalJson.IsCanonical(text);
                if (judged)
                {
                    Assert.Equal(reference, text);
                    judgedCanonical++;
                }

                canonicalTexts += reference == text ? 1 : 0;
                if (reference is not null)
                {
                    Assert.Equal(reference, CanonicalJson.Canonicalize(text));
                }
            }
        }

        // What is not judged canonical is names this generator makes awkward on purpose (escapes, characters at or above U+E000).
        Assert.True(judgedCanonical > canonicalTexts * 6 / 10, $"{judgedCanonical} of {canonicalTexts} canonical texts were judged canonical");
    }

    [Fact]
    public void Every_seed_event_in_canonical_form_is_judged_canonical()
    {
        var data = SeedCorpus.Load().OfType<InteractionRecording>().SelectMany(r => r.Events)
            .Select(p => EventSerializer.Default.Serialize(p.Event).Json).ToArray();

        Assert.All(data, json => Assert.True(CanonicalJson.IsCanonical(Reference.Canonicalize(json))));
        Assert.Contains(data, json => json.Contains("\\\"", StringComparison.Ordinal) || json.Contains("\\u", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"b\":1,\"a\":2}")]
    [InlineData("{\"a\": 1}")]
    [InlineData(" {\"a\":1}")]
    [InlineData("{\"a\":1} ")]
    [InlineData("[1 ,2]")]
    [InlineData("{\"a\":\"\\u0041\"}")]
    [InlineData("{\"a\":\"<\\/>\"}")]
    [InlineData("{\"a\\u0062\":1}")]
    [InlineData("{\"a\":{\"d\":1,\"c\":2}}")]
    [InlineData("{\"a\":1}{}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("not json")]
    public void Text_that_is_not_canonical_is_not_judged_canonical(string text)
    {
        Assert.False(CanonicalJson.IsCanonical(text));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2,\"\\u0061\":3}")]
    [InlineData("{\"\uE000\":1,\"\uD83D\uDE00\":2,\"z\":3,\"\\uE001\":4}")]
    [InlineData("{\"b\":1,\"\\u0062\":2,\"a\":3,\"ab\":4,\"a\\u0062c\":5}")]
    public void Members_of_equal_or_awkward_names_keep_the_reference_order(string json)
    {
        Assert.Equal(Reference.Canonicalize(json), CanonicalJson.Canonicalize(json));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"\\udc00\":1}")]
    public void Data_the_reference_cannot_canonicalize_is_refused_the_same_way(string json)
    {
        var reference = Record.Exception(() => Reference.Canonicalize(json));
        var fast = Record.Exception(() => EventHash.Compute("s", 1, Guid.Empty, "t", 1, json, DateTimeOffset.UnixEpoch, EventHash.Genesis));
        Assert.NotNull(reference);
        Assert.NotNull(fast);
        Assert.Equal(reference.GetType(), fast.GetType());
    }

    private static StoredEvent Event(JsonElement p) => new(
        p.GetProperty("streamVersion").GetInt64(),
        "ARM-AZE",
        p.GetProperty("streamVersion").GetInt64(),
        p.GetProperty("eventId").GetGuid(),
        p.GetProperty("type").GetString()!,
        p.GetProperty("schemaVersion").GetInt32(),
        p.GetProperty("data").GetString()!,
        DateTimeOffset.Parse(p.GetProperty("recordedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
        p.GetProperty("previousHash").GetString()!,
        p.GetProperty("hash").GetString()!);

    private static string RandomJson(Random random, int depth) =>
        (depth < 4 ? random.Next(7) : random.Next(4)) switch
        {
            0 => Quote(RandomString(random)),
            1 => random.Next(5) switch { 0 => "-0", 1 => "1e10", 2 => "2.50", 3 => "-12345678901234567890", _ => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            2 => random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" },
            3 => Quote(""),
            4 or 5 => "{" + string.Join(" , ", Enumerable.Range(0, random.Next(6)).Select(_ => $"{Quote(RandomString(random))} :{RandomJson(random, depth + 1)}")) + "}",
            _ => "[ " + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ => RandomJson(random, depth + 1))) + "]",
        };

    /// <summary>The text with one small change that most often makes it non-canonical, and sometimes not JSON.</summary>
    private static string Broken(string text, Random random)
    {
        if (text.Length < 2)
        {
            return " " + text;
        }

        var at = random.Next(text.Length - 1);
        return random.Next(4) switch
        {
            0 => text.Insert(at, " "),
            1 => string.Concat(text.AsSpan(0, at), text[at + 1].ToString(), text[at].ToString(), text.AsSpan(at + 2)),
            2 => string.Concat(text.AsSpan(0, at), $"\\u{(int)text[at]:x4}", text.AsSpan(at + 1)),
            _ => SwapFirstMembers(text),
        };
    }

    private static string SwapFirstMembers(string text)
    {
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object || document.RootElement.EnumerateObject().Count() < 2)
        {
            return text + " ";
        }

        var members = document.RootElement.EnumerateObject().Select(m => $"{JsonSerializer.Serialize(m.Name, Relaxed)}:{m.Value.GetRawText()}").ToList();
        (members[0], members[1]) = (members[1], members[0]);
        return "{" + string.Join(",", members) + "}";
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON string literal, some characters escaped and some written as they are, at random.</summary>
    private static string Quote(string text)
    {
        var random = new Random(text.Length);
        var quoted = new StringBuilder("\"");
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '"' or '\\' or < 0x20 || random.Next(4) == 0)
            {
                foreach (var unit in rune.ToString())
                {
                    quoted.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)unit:x4}");
                }
            }
            else
            {
                quoted.Append(rune.ToString());
            }
        }

        return quoted.Append('"').ToString();
    }

    private static readonly int[] Ranges = [0x00, 0x20, 0x7F, 0xA0, 0x400, 0x531, 0x2028, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0x1F54A, 0x10FFFF];

    private static string RandomString(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(8); i > 0; i--)
        {
            var value = random.Next(3) == 0 ? "ab<>&'+\"\\/`"[random.Next(11)] : Math.Clamp(Ranges[random.Next(Ranges.Length)] + random.Next(3), 0, 0x10FFFF);
            text.Append(Rune.IsValid(value) ? new Rune(value).ToString() : "x");
        }

        return text.ToString();
    }

    /// <summary>The hash as first written: a DOM, members sorted by LINQ, strings through .NET strings, a MemoryStream.</summary>
    private static class Reference
    {
        private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

        public static string Hash(StoredEvent e) => Convert.ToHexStringLower(SHA256.HashData(Preimage(e)));

        public static byte[] Preimage(StoredEvent e)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                writer.WriteStringValue("karabakh-ledger/v1");
                writer.WriteStringValue(e.StreamId);
                writer.WriteNumberValue(e.StreamVersion);
                writer.WriteStringValue(e.EventId.ToString("D"));
                writer.WriteStringValue(e.Type);
                writer.WriteNumberValue(e.SchemaVersion);
                writer.WriteStringValue(EventHash.FormatTimestamp(e.RecordedAt));
                writer.WriteStringValue(Canonicalize(e.Data));
                writer.WriteStringValue(e.PreviousHash);
                writer.WriteEndArray();
            }

            return buffer.ToArray();
        }

        public static string Canonicalize(string json)
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Relaxed))
            {
                Write(writer, document.RootElement);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void Write(Utf8JsonWriter writer, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
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
                    writer.WriteStringValue(element.GetString());
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }
}
