namespace KarabakhLedger.Testing;

/// <summary>Paths for throwaway SQLite ledgers under one temp folder per test run.</summary>
public static class TempLedger
{
    private static readonly string Folder = TestFolders.Create("karabakh-ledger-tests-").FullName;

    public static string NewPath() => Path.Combine(Folder, $"{Guid.NewGuid():N}.db");
}
