using KarabakhLedger.Service.Publishing;
using KarabakhLedger.Stores;
using Wolverine;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// Where Wolverine keeps its messages, so that they survive a node's restart: beside the ledger, in the same
/// database. A PostgreSQL ledger gets the schema <see cref="LedgerServiceOptions.MessageSchema"/>; a SQLite ledger
/// gets <c>NAME.messages.db</c> next to its file. Local queues are durable, and <see cref="RelationshipScoreChanged"/>
/// is handled one message at a time, in the order published.
/// </summary>
public static class MessageStorage
{
    public static void Configure(WolverineOptions opts, LedgerLocation location, LedgerServiceOptions settings)
    {
        location.PersistMessages(opts, settings.MessageSchema);
        opts.Durability.Mode = string.IsNullOrEmpty(settings.Cluster.Redis) ? DurabilityMode.Solo : DurabilityMode.Balanced;
        opts.Policies.UseDurableLocalQueues();
        opts.LocalQueueFor<RelationshipScoreChanged>().Sequential();
        opts.RegisterMessageForwarder<RelationshipScoreChangedV1, RelationshipScoreChanged>();
    }
}
