using Microsoft.Data.Sqlite;
using KarabakhLedger.Testing;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>A <see cref="ServiceNode"/> on a fresh SQLite ledger in a temp folder of its own, deleted with it.</summary>
public sealed class ScratchNode : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private ScratchNode(DirectoryInfo folder, ServiceNode node)
    {
        _folder = folder;
        Node = node;
    }

    public ServiceNode Node { get; }

    /// <summary>Starts the node on <paramref name="clock"/> with <paramref name="settings"/>; a node that fails to start leaves no folder.</summary>
    public static async Task<ScratchNode> StartAsync(TimeProvider? clock = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var folder = TestFolders.Create("ledger-scratch-node-");
        try
        {
            return new ScratchNode(folder, await ServiceNode.StartAsync(Path.Combine(folder.FullName, "ledger.db"), settings, clock: clock));
        }
        catch
        {
            Delete(folder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        Delete(_folder);
    }

    private static void Delete(DirectoryInfo folder)
    {
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }
}
