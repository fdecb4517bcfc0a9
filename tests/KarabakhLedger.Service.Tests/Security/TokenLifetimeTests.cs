using System.Net;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KarabakhLedger.Service.Tests.Security;

/// <summary>
/// Bearer tokens expire by the service's own clock (a fake one here), with the configured skew: 30 s by default.
/// </summary>
public sealed class TokenLifetimeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ledger-jwt-");
    private ServiceNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await ServiceNode.StartAsync(Path.Combine(_folder.FullName, "ledger.db"), clock: _clock);

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(29, HttpStatusCode.OK)]
    [InlineData(31, HttpStatusCode.Unauthorized)]
    public async Task A_token_is_accepted_within_the_skew_past_its_expiry_and_refused_beyond(int secondsPastExpiry, HttpStatusCode expected)
    {
        var expires = Start.AddMinutes(10);
        var token = TestAuth.Token(Start, expires, TestAuth.JwtKey, LedgerRoles.Auditor);
        _clock.SetUtcNow(expires.AddSeconds(secondsPastExpiry));

        using var response = await _node.Bearer(token).GetAsync("/api/verify");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(-31, HttpStatusCode.Unauthorized)]
    [InlineData(-29, HttpStatusCode.OK)]
    public async Task A_token_is_refused_more_than_the_skew_before_its_start(int secondsFromStart, HttpStatusCode expected)
    {
        var notBefore = Start.AddMinutes(5);
        var token = TestAuth.Token(notBefore, notBefore.AddHours(1), TestAuth.JwtKey, LedgerRoles.Auditor);
        _clock.SetUtcNow(notBefore.AddSeconds(secondsFromStart));

        using var response = await _node.Bearer(token).GetAsync("/api/verify");

        Assert.Equal(expected, response.StatusCode);
    }
}
