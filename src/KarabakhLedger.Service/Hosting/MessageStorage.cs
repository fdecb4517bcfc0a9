using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Service.Subscriptions;
using Wolverine;
using Wolverine.Postgresql;
using Wolverine.Sqlite;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// Where Wolverine keeps its messages, so that they survive a node's restart: beside the ledger, in the same
/// database. A PostgreSQL ledger gets the schema <see cref="LedgerServiceOptions.MessageSchema"/>; a SQLite ledger
/// gets <c>NAME.messages.db</c> next to its file. Local queues are durable, and <see cref="RelationshipScoreChanged"/>
/// is handled one message at a time, in the order published.
/// </summary>
public static class MessageStorage
{
    public static void Configure(WolverineOptions opts, LedgerServiceOptions settings)
    {
        var store = settings.Store ?? throw new InvalidOperationException("The ledger's location is not set.");
        if (LedgerStores.IsPostgres(store))
        {
            opts.PersistMessagesWithPostgresql(store, settings.MessageSchema ?? $"{settings.StoreSchema}_messages");
        }
        else
        {
            opts.PersistMessagesWithSqlite($"Data Source={PathBesideLedger(store)}");
        }

        opts.Durability.Mode = string.IsNullOrEmpty(settings.Cluster.Redis) ? DurabilityMode.Solo : DurabilityMode.Balanced;
        opts.Policies.UseDurableLocalQueues();
        opts.LocalQueueFor<RelationshipScoreChanged>().Sequential();
        opts.RegisterMessageForwarder<RelationshipScoreChangedV1, RelationshipScoreChanged>();
    }

    /// <summary>The message database of the SQLite ledger at <paramref name="ledgerPath"/>.</summary>
    public static string PathBesideLedger(string ledgerPath) => SqliteLedgerStore.PathBeside(ledgerPath, "messages");
}
