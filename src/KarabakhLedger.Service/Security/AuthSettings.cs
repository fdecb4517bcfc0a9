namespace KarabakhLedger.Service.Security;

/// <summary>
/// Who may call the service, bound from <c>Ledger:Auth</c>. Callers authenticate with an API key in the
/// <c>X-Api-Key</c> header, or with a JWT bearer token signed with <see cref="JwtSettings.SigningKey"/>.
/// </summary>
public sealed class AuthSettings
{
    public const string Section = "Ledger:Auth";

    public List<ApiKeySettings> ApiKeys { get; set; } = [];

    public JwtSettings Jwt { get; set; } = new();
}

/// <summary>
/// One API key: a name for logs, the key (<see cref="Key"/>, or its lower-case hex SHA-256 in
/// <see cref="KeySha256"/> so the configuration need not hold the secret), and its roles, comma-separated.
/// </summary>
public sealed class ApiKeySettings
{
    public string Name { get; set; } = "";

    public string? Key { get; set; }

    public string? KeySha256 { get; set; }

    public string Roles { get; set; } = "";
}

/// <summary>
/// Bearer tokens: HMAC-SHA256 with <see cref="SigningKey"/> (at least 32 bytes of UTF-8), issued by
/// <see cref="Issuer"/> for <see cref="Audience"/>; roles in <c>role</c> claims, the caller's name in <c>sub</c>.
/// Without a signing key, bearer tokens are refused. A token is refused once it is more than
/// <see cref="ClockSkewSeconds"/> past its expiry (or that long before its not-before time), by the service's clock.
/// </summary>
public sealed class JwtSettings
{
    /// <summary>The tolerance for clocks that disagree, in seconds: 30 unless configured, at most 300.</summary>
    public const int DefaultClockSkewSeconds = 30;

    public string? SigningKey { get; set; }

    public int ClockSkewSeconds { get; set; } = DefaultClockSkewSeconds;

    public string Issuer { get; set; } = "karabakh-ledger";

    public string Audience { get; set; } = "karabakh-ledger";
}
