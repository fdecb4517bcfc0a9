namespace KarabakhLedger.Testing;

/// <summary>
/// Temporary folders for tests: all under one folder per test process, deleted when the process exits, so a test run
/// leaves nothing in the temp folder.
/// </summary>
public static class TestFolders
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Directory.CreateTempSubdirectory("karabakh-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(root);
        return root;
    });

    /// <summary>A new, empty folder whose name starts with <paramref name="prefix"/>.</summary>
    public static DirectoryInfo Create(string prefix) => Directory.CreateDirectory(Path.Combine(Root.Value, $"{prefix}{Guid.NewGuid():N}"));

    private static void Delete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file held by a process a test started and left running; the run's result must not depend on it.
        }
        catch (UnauthorizedAccessException)
        {
            // A file a test made read-only on purpose; as above.
        }
    }
}
