using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using KarabakhLedger.Service.Security;
using Microsoft.IdentityModel.Tokens;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>The credentials test nodes accept: one API key per role, and bearer tokens signed with <see cref="JwtKey"/>.</summary>
public static class TestAuth
{
    public const string JwtKey = "test-signing-key-of-at-least-32-bytes!!";

    public static string ApiKey(string role) => $"test-key-{role}";

    /// <summary>The configuration entries that declare the keys and the JWT signing key.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration()
    {
        yield return new($"{AuthSettings.Section}:Jwt:SigningKey", JwtKey);
        for (var i = 0; i < LedgerRoles.All.Count; i++)
        {
            var role = LedgerRoles.All[i];
            yield return new($"{AuthSettings.Section}:ApiKeys:{i}:Name", $"test-{role}");
            yield return new($"{AuthSettings.Section}:ApiKeys:{i}:Key", ApiKey(role));
            yield return new($"{AuthSettings.Section}:ApiKeys:{i}:Roles", role);
        }
    }

    /// <summary>A bearer token for <paramref name="roles"/>, valid for an hour from <paramref name="now"/>.</summary>
    public static string Token(DateTimeOffset now, string key = JwtKey, params string[] roles) =>
        Token(now.AddMinutes(-1), now.AddHours(1), key, roles);

    /// <summary>A bearer token for <paramref name="roles"/>, valid from <paramref name="notBefore"/> until <paramref name="expires"/> (none: no <c>exp</c>).</summary>
    public static string Token(DateTimeOffset notBefore, DateTimeOffset? expires, string key, params string[] roles)
    {
        var claims = new List<Claim> { new("sub", "test-user") };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        var token = new JwtSecurityToken(
            issuer: "karabakh-ledger",
            audience: "karabakh-ledger",
            claims: claims,
            notBefore: notBefore.UtcDateTime,
            expires: expires?.UtcDateTime,
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
