namespace Newtone.Tests;

/// <summary>Paths in the repository checkout the tests were built from.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding Newtone.slnx, found by walking up from the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Newtone.slnx"))) return d.FullName;
        throw new InvalidOperationException("Newtone.slnx not found above " + AppContext.BaseDirectory);
    }
}
