using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KarabakhLedger.Ledger.Telemetry;

/// <summary>
/// The ledger's own spans and metrics (docs/operations.md lists them). Emitting costs nothing until a listener, such as
/// the service's OpenTelemetry setup, subscribes to <see cref="Name"/>.
/// </summary>
public static class LedgerTelemetry
{
    /// <summary>The name of both the activity source and the meter.</summary>
    public const string Name = "KarabakhLedger";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Events written by appends (<c>ledger.events.appended</c>), tagged with the kind of write.</summary>
    public static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>("ledger.events.appended", "{event}", "Events appended to the ledger.");

    /// <summary>Events the projection feed delivered to dyad grains, tagged with the generation: replay progress.</summary>
    public static readonly Counter<long> EventsProjected = Meter.CreateCounter<long>("ledger.feed.events", "{event}", "Events delivered by the projection feed.");

    /// <summary>How far the feed was behind the ledger's head when it read a batch, in positions.</summary>
    public static readonly Histogram<long> FeedLagPositions = Meter.CreateHistogram<long>("ledger.feed.lag.positions", "{position}", "Positions between the ledger's head and the feed's batch.");

    /// <summary>Time from an event's recording to its delivery by the feed.</summary>
    public static readonly Histogram<double> FeedLagSeconds = Meter.CreateHistogram<double>("ledger.feed.lag", "s", "Seconds from recording to projection.");

    /// <summary>Rows an import read, tagged with the outcome: imported, already-there, rejected.</summary>
    public static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("ledger.import.rows", "{row}", "Rows read by imports, by outcome.");

    /// <summary>Connected Server-Sent-Events subscribers.</summary>
    public static readonly UpDownCounter<long> Subscribers = Meter.CreateUpDownCounter<long>("ledger.sse.subscribers", "{subscriber}", "Connected score-change subscribers.");

    /// <summary>Score changes sent to subscribers.</summary>
    public static readonly Counter<long> ChangesSent = Meter.CreateCounter<long>("ledger.sse.changes", "{change}", "Score changes sent over Server-Sent Events.");

    /// <summary>Positions the score-change outbox had still to publish when it looked.</summary>
    public static readonly Histogram<long> OutboxBacklog = Meter.CreateHistogram<long>("ledger.outbox.backlog", "{position}", "Positions the outbox is behind the ledger.");

    /// <summary>Starts a span of this ledger's, or returns null when nobody listens.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) => Source.StartActivity(name, kind);
}
