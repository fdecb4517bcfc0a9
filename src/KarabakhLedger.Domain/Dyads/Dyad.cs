using KarabakhLedger.Domain.Actors;

namespace KarabakhLedger.Domain.Dyads;

/// <summary>
/// An unordered pair of two different known actors. <see cref="Key"/> is the two canonical codes sorted (ordinal)
/// and joined by '-', e.g. <c>RUS-TUR</c>; <see cref="StreamId"/> is the ledger stream that holds the pair's events.
/// Alias codes are stored as the code they stand for (ROM as ROU, NAT as NATO).
/// </summary>
public sealed record Dyad
{
    public const string StreamPrefix = "dyad-";

    public Dyad(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        first = Canonical(first, nameof(first));
        second = Canonical(second, nameof(second));
        if (first == second)
        {
            throw new ArgumentException($"A dyad needs two different actors, got '{first}' twice.", nameof(second));
        }

        (A, B) = string.CompareOrdinal(first, second) < 0 ? (first, second) : (second, first);
    }

    /// <summary>The code that sorts first.</summary>
    public string A { get; }

    /// <summary>The code that sorts second.</summary>
    public string B { get; }

    public string Key => $"{A}-{B}";

    public string StreamId => StreamPrefix + Key;

    /// <summary>Parses a key such as <c>TUR-RUS</c> or <c>rus-tur</c> (either order, any case).</summary>
    public static Dyad Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Trim().ToUpperInvariant().Split('-');
        if (parts.Length != 2)
        {
            throw new FormatException($"'{key}' is not a dyad key: expected two actor codes joined by '-', e.g. RUS-TUR.");
        }

        return new Dyad(parts[0], parts[1]);
    }

    /// <summary>The key of two codes, already canonical, in either order.</summary>
    public static string KeyOf(string first, string second) =>
        string.CompareOrdinal(first, second) < 0 ? $"{first}-{second}" : $"{second}-{first}";

    public static bool TryFromStreamId(string streamId, out Dyad dyad)
    {
        dyad = null!;
        if (!streamId.StartsWith(StreamPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        dyad = Parse(streamId[StreamPrefix.Length..]);
        return true;
    }

    public override string ToString() => Key;

    private static string Canonical(string code, string name) =>
        ActorRegistry.Default.TryGet(code, out var actor)
            ? actor.Code
            : throw new ArgumentException($"'{code}' is not a known actor code.", name);
}
