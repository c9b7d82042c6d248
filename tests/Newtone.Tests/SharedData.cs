namespace Newtone.Tests;

/// <summary>
/// The project's shared folder (<c>../shared</c> beside the repository): real LA-2A excerpts and the
/// published reference numbers. A user's clone has none, so tests that need it are skipped.
/// </summary>
internal static class SharedData
{
    public static string? Root { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared");
            if (File.Exists(Path.Combine(candidate, "SPEC.md"))) return Path.GetFullPath(candidate);
            if (File.Exists(Path.Combine(dir.FullName, "Newtone.slnx"))) break;
        }
        return null;
    }

    public static string Path2(params string[] parts) => Path.Combine([Root!, .. parts]);
}

/// <summary>A fact that is skipped when <c>../shared</c> is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (SharedData.Root is null) Skip = "../shared is not present (real LA-2A excerpts and reference numbers)";
    }
}
