using System.Security.Cryptography;
using System.Text;

namespace KarabakhLedger.Domain.Contracts;

/// <summary>Name-based UUIDs (RFC 9562 version 8, SHA-256): the same namespace and name always give the same id.</summary>
public static class DeterministicGuid
{
    /// <summary>Namespace for ids derived from a recorded object's content.</summary>
    public static readonly Guid ContentNamespace = new("6b0f4b1e-4d0c-4c7e-9a55-2f7d1c2b9e01");

    /// <summary>Namespace for the per-dyad events of a multilateral act.</summary>
    public static readonly Guid FanOutNamespace = new("0c9d2f7a-8e51-4a3b-b6c4-1d2e3f405162");

    /// <summary>Namespace for imported rows of an event dataset, named <c>"&lt;dataset&gt;:&lt;source event id&gt;"</c>.</summary>
    public static readonly Guid ImportNamespace = new("3e1c5a0d-7b2f-4f86-8d13-5a9e0c4b7d21");

    public static Guid Create(Guid @namespace, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
