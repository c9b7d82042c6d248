namespace Newtone.IO;

/// <summary>
/// Keeps outputs away from inputs: paths are compared after resolving symbolic links (of the file and of every folder
/// above it), <c>..</c> and, where the file system folds case (Windows, macOS), case. An output that would overwrite
/// an input, or an output folder equal to or inside a source tree, is refused with one line before anything is written.
/// </summary>
public static class PathGuard
{
    private static readonly StringComparison Comparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The absolute path with every symbolic link along it resolved (the part that does not exist yet kept as given).</summary>
    public static string Resolve(string path) => Resolve(path, 0);

    private static string Resolve(string path, int depth)
    {
        if (depth > 40) throw new InputException($"{path}: too many levels of symbolic links");
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? "/";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists && info.LinkTarget is null)
                return Path.Combine([next, .. parts[(i + 1)..]]);
            if (info.LinkTarget is { } target)
                next = Resolve(Path.GetFullPath(target, current), depth + 1);
            current = next;
        }
        return current;
    }

    /// <summary>True when two paths name the same file or folder.</summary>
    public static bool Same(string a, string b) => string.Equals(Trim(Resolve(a)), Trim(Resolve(b)), Comparison);

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies inside it.</summary>
    public static bool Within(string path, string folder)
    {
        string p = Trim(Resolve(path)), f = Trim(Resolve(folder));
        return string.Equals(p, f, Comparison) || p.StartsWith(f + Path.DirectorySeparatorChar, Comparison);
    }

    /// <summary>Refuses an output file that is one of the inputs (after resolving links).</summary>
    public static void OutputIsNotInput(string output, params string[] inputs)
    {
        foreach (var input in inputs)
            if (Same(output, input))
                throw new InputException($"{output}: the output would overwrite the input {input}; write it elsewhere");
    }

    /// <summary>Refuses an output folder equal to or inside a source tree (or a source tree inside the output folder).</summary>
    public static void OutputFolderOutside(string outputFolder, string sourceFolder, string what)
    {
        if (Within(outputFolder, sourceFolder))
            throw new InputException($"{outputFolder}: the output folder is {(Same(outputFolder, sourceFolder) ? "" : "inside ")}the {what} {sourceFolder}; its files would be overwritten — write the output elsewhere");
        if (Within(sourceFolder, outputFolder))
            throw new InputException($"{outputFolder}: the output folder contains the {what} {sourceFolder}; write the output elsewhere");
    }

    private static string Trim(string p) => p.Length > 1 ? p.TrimEnd(Path.DirectorySeparatorChar) : p;
}
