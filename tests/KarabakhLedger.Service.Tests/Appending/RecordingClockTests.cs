using System.Net;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Service.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KarabakhLedger.Service.Tests.Appending;

/// <summary>
/// The service refuses interactions dated after the day of recording by its own clock (a fake one here, set days
/// before the machine's, so a rule read from the wall clock would accept what is refused).
/// </summary>
public sealed class RecordingClockTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 23, 59, 59, TimeSpan.Zero));
    private ScratchNode _scratch = null!;

    public async Task InitializeAsync() => _scratch = await ScratchNode.StartAsync(_clock);

    public async Task DisposeAsync() => await _scratch.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task A_day_after_the_service_clock_is_refused_until_that_day_begins()
    {
        var analyst = _scratch.Node.As(LedgerRoles.Analyst);
        var body = Bodies.Interaction("GEO", "IRN", occurredOn: "2026-11-24");
        var recorded = await analyst.PostAsync("/api/interactions", Bodies.Json(Bodies.Interaction("GEO", "IRN", occurredOn: "2026-11-23")));
        var id = (await recorded.ReadJsonAsync()).GetProperty("events")[0].GetProperty("eventId").GetGuid();
        var correction = Bodies.Correction(id, "GEO", "IRN", "036").Replace("2022-03-10", "2026-11-24", StringComparison.Ordinal);

        using var early = await analyst.PostAsync("/api/interactions", Bodies.Json(body));
        using var earlyCorrection = await analyst.PostAsync("/api/corrections", Bodies.Json(correction));
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var onTheDay = await analyst.PostAsync("/api/interactions", Bodies.Json(body));
        using var correctionOnTheDay = await analyst.PostAsync("/api/corrections", Bodies.Json(correction));

        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(
            "2026-11-24 begins after the day it is recorded (2026-11-23); the ledger records what has happened, not forecasts or plans",
            (await early.ReadJsonAsync()).GetProperty("errors").GetProperty("occurredOn")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, earlyCorrection.StatusCode);
        Assert.StartsWith("2026-11-24 begins after", (await earlyCorrection.ReadJsonAsync()).GetProperty("errors").GetProperty("with.occurredOn")[0].GetString(), StringComparison.Ordinal);
        // 201, not 200: the refused requests wrote nothing, so the same content is new a second later.
        Assert.Equal(HttpStatusCode.Created, onTheDay.StatusCode);
        Assert.Equal(HttpStatusCode.Created, correctionOnTheDay.StatusCode);
    }
}
