using System.Diagnostics;
using System.Globalization;

namespace Newtone.IO;

/// <summary>
/// Names and clean-up of the temporary files outputs are written through: <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c> beside the
/// output. Writing an output again first removes the temporary files of that output left by processes that no longer
/// run (killed with SIGKILL, power loss), so they never accumulate; those of a process still running are left alone.
/// </summary>
internal static class TempFile
{
    /// <summary>A fresh temporary path for the output <paramref name="fullPath"/> (its folder is created); stale ones are removed first.</summary>
    public static string For(string fullPath)
    {
        string dir = Path.GetDirectoryName(fullPath) ?? ".";
        Directory.CreateDirectory(dir);
        RemoveStale(fullPath);
        return Path.Combine(dir, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Deletes a temporary file, ignoring failures (it is being abandoned).</summary>
    public static void Delete(string tmp)
    {
        try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Removes the temporary files of <paramref name="fullPath"/> whose writing process is gone.</summary>
    public static void RemoveStale(string fullPath)
    {
        string dir = Path.GetDirectoryName(fullPath) ?? ".";
        string prefix = "." + Path.GetFileName(fullPath) + ".";
        if (!Directory.Exists(dir)) return;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(dir, prefix + "*.tmp").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var f in candidates)
        {
            var parts = Path.GetFileName(f)[prefix.Length..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || parts[1].Length != 32) continue;
            if (pid == Environment.ProcessId || Running(pid)) continue;
            Delete(f);
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
