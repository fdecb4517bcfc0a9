namespace KarabakhLedger.Projections.Tests.Infrastructure;

/// <summary>Limits that keep a failing test from hanging: every wait in these tests has one.</summary>
public static class Timeouts
{
    public const int TestMilliseconds = 120_000;

    public static CancellationToken Wait(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
