using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace KarabakhLedger.Service.Security;

/// <summary>Authentication (API key or JWT bearer) and the role policies of <see cref="LedgerPolicies"/>.</summary>
public static class SecurityRegistration
{
    /// <summary>The default scheme: an API key when the request carries <c>X-Api-Key</c>, else a bearer token.</summary>
    public const string Scheme = "ledger";

    public static IServiceCollection AddLedgerSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthSettings.Section);
        services.Configure<AuthSettings>(section);
        var jwt = section.Get<AuthSettings>()?.Jwt ?? new JwtSettings();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or bearer token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { })
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RoleClaimType = "role",
                    NameClaimType = "sub",
                    IssuerSigningKey = SigningKey(jwt),
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                };
            });
        var skew = ClockSkew(jwt);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((o, clock) =>
            {
                o.TimeProvider = clock;
                o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, _) => WithinLifetime(clock.GetUtcNow(), notBefore, expires, skew);
            });
        services.AddAuthorization(LedgerPolicies.Register);
        return services;
    }

    /// <summary>The configured tolerance for token lifetimes (<see cref="JwtSettings.ClockSkewSeconds"/>).</summary>
    public static TimeSpan ClockSkew(JwtSettings jwt) => jwt.ClockSkewSeconds is >= 0 and <= 300
        ? TimeSpan.FromSeconds(jwt.ClockSkewSeconds)
        : throw new InvalidOperationException($"{AuthSettings.Section}:Jwt:ClockSkewSeconds must be between 0 and 300 (got {jwt.ClockSkewSeconds}).");

    /// <summary>
    /// True when <paramref name="now"/> (the service's clock, not the machine's) lies in the token's lifetime widened by
    /// <paramref name="skew"/> on both sides; a token without an expiry is never within it.
    /// </summary>
    public static bool WithinLifetime(DateTimeOffset now, DateTime? notBefore, DateTime? expires, TimeSpan skew) =>
        expires is { } end
        && now.UtcDateTime <= end.ToUniversalTime() + skew
        && (notBefore is not { } start || now.UtcDateTime >= start.ToUniversalTime() - skew);

    /// <summary>The HMAC key tokens must be signed with; a random one nobody knows when none is configured.</summary>
    public static SymmetricSecurityKey SigningKey(JwtSettings jwt)
    {
        if (string.IsNullOrEmpty(jwt.SigningKey))
        {
            return new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        var bytes = Encoding.UTF8.GetBytes(jwt.SigningKey);
        return bytes.Length >= 32
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"{AuthSettings.Section}:Jwt:SigningKey must be at least 32 bytes.");
    }
}
