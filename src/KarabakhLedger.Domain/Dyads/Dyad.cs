namespace KarabakhLedger.Domain.Dyads;

/// <summary>
/// An unordered pair of two different actor codes, each already canonical (as <see cref="Actors.ActorRegistry"/>
/// hands them out): <see cref="Key"/> is the two codes sorted (ordinal) and joined by '-', e.g. <c>RUS-TUR</c>, and
/// <see cref="StreamId"/> is the ledger stream that holds the pair's events. A dyad knows nothing of which codes
/// exist: to build one from what a person or a data file writes (a name, a lower-case or alias code), ask the
/// registry (<see cref="Actors.ActorRegistry.DyadOf"/>, <see cref="Actors.ActorRegistry.ResolveDyad"/>).
/// </summary>
public sealed record Dyad
{
    public const string StreamPrefix = "dyad-";

    /// <summary>The longest actor code.</summary>
    public const int MaxCodeLength = 16;

    public Dyad(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        Require(first, nameof(first));
        Require(second, nameof(second));
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

    /// <summary>
    /// Parses a key as the ledger writes it (<c>RUS-TUR</c>; either order, any case): two codes joined by '-'. The
    /// codes are taken as written; a key from a person goes through <see cref="Actors.ActorRegistry.ResolveDyad"/>.
    /// </summary>
    public static Dyad Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryParse(key, out var dyad)
            ? dyad
            : throw new FormatException($"'{key}' is not a dyad key: expected two different actor codes joined by '-', e.g. RUS-TUR.");
    }

    /// <summary>The key of two codes, already canonical, in either order.</summary>
    public static string KeyOf(string first, string second) =>
        string.CompareOrdinal(first, second) < 0 ? $"{first}-{second}" : $"{second}-{first}";

    /// <summary>The dyad of a stream id such as <c>dyad-ARM-AZE</c>; false for any other stream id.</summary>
    public static bool TryFromStreamId(string streamId, out Dyad dyad)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        dyad = null!;
        return streamId.StartsWith(StreamPrefix, StringComparison.Ordinal) && TryParse(streamId[StreamPrefix.Length..], out dyad);
    }

    public override string ToString() => Key;

    /// <summary>Upper-case letters and digits, 2 to 16 of them: no '-', because a key joins two codes with it.</summary>
    public static bool IsWellFormedCode(string code) =>
        code.Length is >= 2 and <= MaxCodeLength && code.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');

    private static bool TryParse(string key, out Dyad dyad)
    {
        dyad = null!;
        var parts = key.Trim().ToUpperInvariant().Split('-');
        if (parts.Length != 2 || !IsWellFormedCode(parts[0]) || !IsWellFormedCode(parts[1]) || parts[0] == parts[1])
        {
            return false;
        }

        dyad = new Dyad(parts[0], parts[1]);
        return true;
    }

    private static void Require(string code, string name)
    {
        if (!IsWellFormedCode(code))
        {
            throw new ArgumentException($"'{code}' is not an actor code: 2 to {MaxCodeLength} upper-case letters and digits.", name);
        }
    }
}
