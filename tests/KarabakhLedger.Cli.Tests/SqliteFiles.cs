using Microsoft.Data.Sqlite;

namespace KarabakhLedger.Cli.Tests;

/// <summary>Reads a SQLite ledger file behind the ledger's back, read-only, as a test watching a process does.</summary>
internal static class SqliteFiles
{
    private static readonly string[] Suffixes = ["", "-wal", "-shm"];

    /// <summary>The rows of <c>ledger_events</c> in <paramref name="path"/>; 0 while the file or the table does not exist yet.</summary>
    public static async Task<long> CountEventsAsync(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ledger_events'";
        if ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT COUNT(*) FROM ledger_events";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Deletes the SQLite database at <paramref name="path"/> with its WAL and shared-memory files.</summary>
    public static void Delete(string path)
    {
        foreach (var file in Suffixes.Select(suffix => path + suffix).Where(File.Exists))
        {
            File.Delete(file);
        }
    }
}
