namespace KarabakhLedger.Service.Tests.Support;

/// <summary>Files of this checkout, found from the test's output folder.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding KarabakhLedger.sln.</summary>
    public static string Root()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "KarabakhLedger.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new DirectoryNotFoundException($"No KarabakhLedger.sln above {AppContext.BaseDirectory}.");
    }
}
