using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KarabakhLedger.Service.Security;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header against the configured keys (<see cref="AuthSettings"/>).
/// Keys are compared by their SHA-256 in constant time. A request without the header is not this handler's.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthSettings> settings) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!));
        foreach (var key in settings.Value.ApiKeys)
        {
            if (ExpectedHash(key) is { } expected && CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                var claims = new List<Claim> { new(ClaimTypes.Name, key.Name) };
                claims.AddRange(key.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(role => new Claim(ClaimTypes.Role, role)));
                var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
            }
        }

        return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
    }

    private static byte[]? ExpectedHash(ApiKeySettings key) =>
        !string.IsNullOrEmpty(key.KeySha256) ? Convert.FromHexString(key.KeySha256)
        : !string.IsNullOrEmpty(key.Key) ? SHA256.HashData(Encoding.UTF8.GetBytes(key.Key))
        : null;
}
