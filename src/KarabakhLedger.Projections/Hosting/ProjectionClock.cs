namespace KarabakhLedger.Projections.Hosting;

/// <summary>
/// The projections' clock: a <see cref="TimeProvider"/> registered under <see cref="Key"/> (by default the silo's own
/// <see cref="TimeProvider"/>). Grains, the feed keeper and the facade take time only from it. It is kept apart from
/// the unkeyed service because Orleans 10 runs its own timers, membership and messaging on that one: a host may give
/// the projections a test clock without stopping the silo.
/// </summary>
public static class ProjectionClock
{
    public const string Key = "karabakh-projections";
}
