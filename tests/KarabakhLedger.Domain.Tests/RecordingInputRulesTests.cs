using System.Text;
using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Tests;

/// <summary>The byte, JSON and date rules every channel shares: <see cref="RecordingText"/>, duplicate keys and lone surrogates, <see cref="OccurrenceRule"/>.</summary>
public sealed class RecordingInputRulesTests
{
    private static string Interaction(string occurredOn = "2022-03") => new JsonObject
    {
        ["type"] = "talks-held",
        ["cameoCode"] = "036",
        ["initiator"] = "GEO",
        ["target"] = "ARM",
        ["joint"] = true,
        ["occurredOn"] = occurredOn,
        ["theatre"] = "south-caucasus",
        ["summary"] = "Talks.",
        ["sources"] = new JsonArray(new JsonObject { ["outlet"] = "Example", ["title"] = "Talks", ["url"] = "https://example.org/t", ["accessed"] = "2022-09-20" }),
    }.ToJsonString();

    private static ValidationError Refused(Action action) => Assert.Single(Assert.Throws<LedgerValidationException>(action).Errors);

    [Fact]
    public void One_byte_order_mark_is_dropped_from_bytes_and_from_text_and_a_second_is_malformed_JSON()
    {
        var withMark = Encoding.UTF8.GetBytes("\uFEFF" + Interaction());

        Assert.Single(RecordingParser.ParseBatch(RecordingText.FromUtf8(withMark), ActorRegistry.Default));
        Assert.Single(RecordingParser.ParseBatch("\uFEFF" + Interaction(), ActorRegistry.Default));
        var twice = Refused(() => RecordingParser.ParseBatch(RecordingText.FromUtf8([.. Encoding.UTF8.Preamble, .. withMark]), ActorRegistry.Default));
        Assert.Equal(("(input)", "must be well-formed JSON: '0xEF' is an invalid start of a value. (line 1, byte 4)"), (twice.Field, twice.Rule));
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0xC3, 0x28, 0x7D }, "(input)", "0xC3", 2)]
    [InlineData(new byte[] { 0x7B, 0x7D, 0xFF }, "(input)", "0xFF", 3)]
    [InlineData(new byte[] { 0x7B, 0xED, 0xA0, 0x80, 0x7D }, "(input)", "0xED", 2)]
    [InlineData(new byte[] { 0x7B, 0xE2, 0x82 }, "(input)", "0xE2 0x82", 2)]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x7B, 0xFF }, "(input)", "0xFF", 5)]
    public void Invalid_UTF8_outside_any_string_is_refused_with_its_bytes_and_offset(byte[] bytes, string field, string sequence, int offset)
    {
        var error = Refused(() => RecordingText.FromUtf8(bytes));

        Assert.Equal(field, error.Field);
        Assert.Equal($"must be UTF-8 text: an invalid UTF-8 byte sequence ({sequence}) at byte {offset}", error.Rule);
    }

    [Theory]
    [InlineData("{\"summary\":\"a\uFFFDb\"}", "summary")]
    [InlineData("{\"summary\":\"a \\\" \uFFFD\"}", "summary")]
    [InlineData("{\"sources\":[{\"outlet\":\"x\"},{\"outlet\":\"x\",\"title\":\"\uFFFD\"}]}", "sources[1].title")]
    [InlineData("[{\"id\":1},{\"summary\":\"\uFFFD\"}]", "[1].summary")]
    [InlineData("{\"participants\":[\"GEO\",\"AR\uFFFD\"]}", "participants[1]")]
    [InlineData("{\"summ\uFFFDary\":1}", "(key)")]
    [InlineData("{\"a\":1, \"host\":{\"actor\":\"TUR\", \"cam\uFFFD\":1}}", "host.(key)")]
    [InlineData("{\"summary\": \uFFFD}", "(input)")]
    [InlineData("\"\uFFFD\"", "(input)")]
    [InlineData("{\"summary\" \"\uFFFD\"}", "(input)")]
    public void Invalid_UTF8_inside_a_string_names_the_field_that_holds_it(string json, string field)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = Array.IndexOf(bytes, (byte)0xEF);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        bytes[at + 2] = 0x28;

        var error = Refused(() => RecordingText.FromUtf8(bytes));

        Assert.Equal(field, error.Field);
        Assert.Equal($"must be UTF-8 text: an invalid UTF-8 byte sequence (0xC3) at byte {at + 1}", error.Rule);
    }

    [Fact]
    public void A_key_given_twice_is_refused_with_its_path()
    {
        var twice = Interaction().Replace("\"summary\":", "\"summary\":\"first\",\"summary\":", StringComparison.Ordinal);
        var nested = $"[{Interaction()}, {Interaction().Replace("\"url\":", "\"url\":\"https://a.example\",\"url\":", StringComparison.Ordinal)}]";

        Assert.Equal("summary", Refused(() => RecordingParser.ParseBatch(twice, ActorRegistry.Default)).Field);
        Assert.Equal("[1].sources[0].url", Refused(() => RecordingParser.ParseBatch(nested, ActorRegistry.Default)).Field);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff")]
    [InlineData("\\ud83d x")]
    public void A_lone_surrogate_escape_is_refused_as_not_Unicode_text(string escape)
    {
        var input = Interaction().Replace("Talks.", $"Talks {escape}.", StringComparison.Ordinal);

        var error = Refused(() => RecordingParser.ParseBatch(input, ActorRegistry.Default));

        Assert.Equal("summary", error.Field);
        Assert.Contains("lone surrogate", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_escape_is_text()
    {
        var input = Interaction().Replace("Talks.", "Talks \\ud83d\\ude00.", StringComparison.Ordinal);

        Assert.Single(RecordingParser.ParseBatch(input, ActorRegistry.Default));
    }

    [Theory]
    [InlineData("2026-11-23", true)]
    [InlineData("2026-11", true)]
    [InlineData("2026", true)]
    [InlineData("2026-11-24", false)]
    [InlineData("2026-12", false)]
    [InlineData("2027", false)]
    public void An_interaction_may_not_begin_after_the_day_it_is_recorded(string occurredOn, bool accepted)
    {
        var recordedAt = new DateTimeOffset(2026, 11, 23, 23, 59, 0, TimeSpan.Zero);
        var recordings = RecordingParser.ParseBatch(Interaction(occurredOn), ActorRegistry.Default);

        if (accepted)
        {
            OccurrenceRule.Check(recordings, recordedAt);
        }
        else
        {
            var error = Refused(() => OccurrenceRule.Check(recordings, recordedAt));
            Assert.Equal("occurredOn", error.Field);
            Assert.StartsWith($"{occurredOn} begins after the day it is recorded (2026-11-23)", error.Rule, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_recording_day_is_the_UTC_day()
    {
        var lateInBaku = new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.FromHours(4));

        Refused(() => OccurrenceRule.Check(RecordingParser.ParseBatch(Interaction("2026-11-24"), ActorRegistry.Default), lateInBaku));
    }
}
