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
                };
            });
        services.AddAuthorization(LedgerPolicies.Register);
        return services;
    }

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
