using System.Text;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Recording;

/// <summary>
/// Turns the bytes of a recording (a file, stdin or an HTTP body) into text by one rule everywhere: UTF-8, with an
/// optional byte-order mark that is dropped; any invalid byte sequence is refused with its offset.
/// </summary>
public static class RecordingText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="LedgerValidationException">the bytes are not UTF-8 text (field <c>(input)</c>).</exception>
    public static string FromUtf8(ReadOnlySpan<byte> bytes)
    {
        var bom = Encoding.UTF8.Preamble;
        if (bytes.StartsWith(bom))
        {
            bytes = bytes[bom.Length..];
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var offset = e.Index >= 0 ? $" at byte {InvalidOffset(bytes) + 1}" : "";
            throw new LedgerValidationException("(input)", $"must be UTF-8 text: an invalid byte sequence{offset}");
        }
    }

    /// <summary>Reads all of <paramref name="stream"/> and applies <see cref="FromUtf8"/>.</summary>
    public static async Task<string> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return FromUtf8(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Drops a leading byte-order mark from text that was already decoded, as <see cref="FromUtf8"/> does.</summary>
    public static string WithoutByteOrderMark(string text) => text.StartsWith('\uFEFF') ? text[1..] : text;

    private static int InvalidOffset(ReadOnlySpan<byte> bytes)
    {
        var valid = 0;
        while (valid < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[valid..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return valid;
            }

            valid += consumed;
        }

        return valid;
    }
}
