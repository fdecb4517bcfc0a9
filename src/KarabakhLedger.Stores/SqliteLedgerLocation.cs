using KarabakhLedger.Ledger.Sqlite;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Projections.Storage;
using Wolverine;
using Wolverine.Sqlite;

namespace KarabakhLedger.Stores;

/// <summary>
/// The embedded ledger: the SQLite file at <see cref="Path"/> (absolute), its projections' state in
/// <c>NAME.projections.db</c> and its messages in <c>NAME.messages.db</c> beside it.
/// </summary>
public sealed record SqliteLedgerLocation : LedgerLocation
{
    public SqliteLedgerLocation(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!System.IO.Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"'{path}' is not an absolute path.", nameof(path));
        }

        Path = path;
    }

    public string Path { get; }

    /// <summary>The file of the projections' state.</summary>
    public string ProjectionsPath => SqliteLedgerStore.PathBeside(Path, "projections");

    /// <summary>The file of Wolverine's messages.</summary>
    public string MessagesPath => SqliteLedgerStore.PathBeside(Path, "messages");

    public override string Description => $"SQLite file {Path}";

    public override IReadOnlyDictionary<string, string> AsSettings() => new Dictionary<string, string> { ["Store"] = Path };

    public override async Task<ILedgerStore> OpenLedgerAsync(TimeProvider clock, CancellationToken cancellationToken = default) =>
        await SqliteLedgerStore.OpenAsync(Path, clock, cancellationToken);

    public override async Task<ISnapshotStore> OpenProjectionsAsync(TimeProvider clock, string? schema = null, CancellationToken cancellationToken = default) =>
        await SqliteSnapshotStore.OpenAsync(ProjectionsPath, clock, cancellationToken);

    public override void PersistMessages(WolverineOptions options, string? schema = null) =>
        options.PersistMessagesWithSqlite($"Data Source={MessagesPath}");
}
