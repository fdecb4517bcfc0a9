using KarabakhLedger.Domain.Actors;

namespace KarabakhLedger.Domain.Dyads;

/// <summary>
/// An unordered pair of two different known actors. <see cref="Key"/> is the two codes sorted (ordinal) and
/// joined by '-', e.g. <c>RUS-TUR</c>; <see cref="StreamId"/> is the ledger stream that holds the pair's events.
/// </summary>
public sealed record Dyad
{
    public const string StreamPrefix = "dyad-";

    public Dyad(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (!ActorRegistry.Default.TryGet(first, out _))
        {
            throw new ArgumentException($"'{first}' is not a known actor code.", nameof(first));
        }

        if (!ActorRegistry.Default.TryGet(second, out _))
        {
            throw new ArgumentException($"'{second}' is not a known actor code.", nameof(second));
        }

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

    public bool Contains(string code) => code == A || code == B;

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
}
