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
    private ScratchNode _scratch = null!;

    private ServiceNode Node => _scratch.Node;

    public async Task InitializeAsync() => _scratch = await ScratchNode.StartAsync(_clock);

    public async Task DisposeAsync() => await _scratch.DisposeAsync();

    [Theory(Timeout = 60_000)]
    [InlineData(29, HttpStatusCode.OK)]
    [InlineData(31, HttpStatusCode.Unauthorized)]
    public async Task A_token_is_accepted_within_the_skew_past_its_expiry_and_refused_beyond(int secondsPastExpiry, HttpStatusCode expected)
    {
        var expires = Start.AddMinutes(10);
        var token = TestAuth.Token(Start, expires, TestAuth.JwtKey, LedgerRoles.Auditor);
        _clock.SetUtcNow(expires.AddSeconds(secondsPastExpiry));

        using var response = await Node.Bearer(token).GetAsync("/api/verify");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData(-31, HttpStatusCode.Unauthorized)]
    [InlineData(-29, HttpStatusCode.OK)]
    public async Task A_token_is_refused_more_than_the_skew_before_its_start(int secondsFromStart, HttpStatusCode expected)
    {
        var notBefore = Start.AddMinutes(5);
        var token = TestAuth.Token(notBefore, notBefore.AddHours(1), TestAuth.JwtKey, LedgerRoles.Auditor);
        _clock.SetUtcNow(notBefore.AddSeconds(secondsFromStart));

        using var response = await Node.Bearer(token).GetAsync("/api/verify");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_token_without_an_expiry_is_refused()
    {
        var token = TestAuth.Token(Start, expires: null, TestAuth.JwtKey, LedgerRoles.Auditor);

        using var response = await Node.Bearer(token).GetAsync("/api/verify");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

/// <summary>The skew is configuration (<c>Ledger:Auth:Jwt:ClockSkewSeconds</c>): a node started with another one uses it.</summary>
public sealed class ConfiguredClockSkewTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 180_000)]
    public async Task A_configured_skew_of_5_s_accepts_a_token_4_s_past_expiry_and_refuses_one_6_s_past()
    {
        var clock = new FakeTimeProvider(Start);
        await using var scratch = await ScratchNode.StartAsync(clock, [new($"{AuthSettings.Section}:Jwt:ClockSkewSeconds", "5")]);
        var expires = Start.AddMinutes(10);
        var token = TestAuth.Token(Start, expires, TestAuth.JwtKey, LedgerRoles.Auditor);

        clock.SetUtcNow(expires.AddSeconds(4));
        using var within = await scratch.Node.Bearer(token).GetAsync("/api/verify");
        clock.SetUtcNow(expires.AddSeconds(6));
        using var beyond = await scratch.Node.Bearer(token).GetAsync("/api/verify");

        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, beyond.StatusCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("-1")]
    [InlineData("301")]
    public async Task A_skew_out_of_range_stops_the_service_at_start_naming_the_setting(string seconds)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ScratchNode.StartAsync(settings: [new($"{AuthSettings.Section}:Jwt:ClockSkewSeconds", seconds)]));

        Assert.Contains("Ledger:Auth:Jwt:ClockSkewSeconds must be between 0 and 300", refused.Message, StringComparison.Ordinal);
    }
}
