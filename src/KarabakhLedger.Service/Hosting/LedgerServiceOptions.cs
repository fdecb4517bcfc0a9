using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Stores;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// The service's settings, bound from the configuration section <see cref="Section"/> (appsettings, environment
/// variables such as <c>Ledger__MaxBodyBytes</c>, or <c>--Ledger:MaxBodyBytes=…</c> on the command line).
/// </summary>
public sealed class LedgerServiceOptions
{
    public const string Section = "Ledger";

    /// <summary>
    /// The ledger: a SQLite file path, or a PostgreSQL connection string (<c>Host=…;Database=…</c>). <c>ledger serve</c>
    /// fills it with the CLI's rule (<c>--store</c>, else <c>$LEDGER_STORE</c>, else the user's ledger.db).
    /// </summary>
    public string? Store { get; set; }

    /// <summary>
    /// The PostgreSQL schema of the ledger's tables (PostgreSQL only); default the first schema of the connection
    /// string's <c>Search Path</c>, else <c>ledger</c>, as on the CLI (<see cref="LedgerLocation.Parse"/>).
    /// </summary>
    public string? StoreSchema { get; set; }

    /// <summary>
    /// The PostgreSQL schema of the projections' state (PostgreSQL only); default <c>&lt;StoreSchema&gt;_projections</c>,
    /// the one the CLI's score commands use.
    /// </summary>
    public string? ProjectionSchema { get; set; }

    /// <summary>
    /// The PostgreSQL schema of Wolverine's message storage, the outbox of score changes among it (PostgreSQL only);
    /// default <c>&lt;StoreSchema&gt;_messages</c>. On SQLite the messages live in <c>NAME.messages.db</c> beside the ledger.
    /// </summary>
    public string? MessageSchema { get; set; }

    /// <summary>The location <see cref="Store"/> and <see cref="StoreSchema"/> name.</summary>
    /// <exception cref="LedgerStoreUnavailableException">no store is configured.</exception>
    /// <exception cref="Domain.Validation.LedgerValidationException">the location cannot be used; names the setting.</exception>
    public LedgerLocation Location() =>
        string.IsNullOrWhiteSpace(Store)
            ? throw new LedgerStoreUnavailableException($"No ledger is configured: set {Section}:Store to a SQLite path or a PostgreSQL connection string.")
            : LedgerLocation.Parse(Store, $"{Section}:Store", StoreSchema);

    /// <summary>The largest request body accepted; a larger one is answered 413. Default 256 KiB.</summary>
    public long MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The most events one page of <c>GET /api/events</c> returns.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Signed checkpoints of the ledger's Merkle log (docs/checkpoints.md).</summary>
    public CheckpointSettings Checkpoints { get; set; } = new();

    /// <summary>How the silo finds the other nodes.</summary>
    public ClusterSettings Cluster { get; set; } = new();

    /// <summary>How a subscription looks for events appended through other nodes.</summary>
    public TimeSpan SubscriptionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an idle subscription sends an SSE comment, so proxies keep the connection open.</summary>
    public TimeSpan SubscriptionHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the projection feed polls the ledger when nobody pokes it (appends through this node do).</summary>
    public TimeSpan ProjectionPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Orleans clustering. Without <see cref="Redis"/>, the node is a cluster of one on localhost. With it, every node
/// that names the same Redis, <see cref="ClusterId"/> and <see cref="ServiceId"/> joins one cluster
/// (docs/adr/0007-service-clustering.md).
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>; empty for a single node.</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = "karabakh-ledger";

    public string ServiceId { get; set; } = "karabakh-ledger";

    /// <summary>Silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; set; }

    /// <summary>Orleans client gateway port; 0 picks a free one.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one at; default 127.0.0.1.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// How long a silo may miss probes before the others declare it dead and take its grains over. Shorter means a
    /// faster failover and more false suspicions on a loaded machine.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>When and with which key the node signs checkpoints; without <see cref="SigningKey"/> it signs none.</summary>
public sealed class CheckpointSettings
{
    /// <summary>The Ed25519 private key file (<c>ledger key create</c>), mode 0600, kept outside the ledger's database.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The longest time between two checkpoints. Default one hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A checkpoint at the latest after this many new events. Default 1,000.</summary>
    public long EveryEvents { get; set; } = 1000;

    /// <summary>A folder to write every checkpoint into as well, one file each; none by default.</summary>
    public string? Directory { get; set; }
}
