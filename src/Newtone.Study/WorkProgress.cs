namespace Newtone.Study;

/// <summary>Progress of long file work (rendering, comparison, evaluation), reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Done">Units done so far (frames, files or levels, as <paramref name="Unit"/> says).</param>
/// <param name="Total">Units in all.</param>
/// <param name="Unit">"frames", "files" or "levels".</param>
/// <param name="Item">The item just finished (a file or level), when the report marks one.</param>
public readonly record struct WorkProgress(long Done, long Total, string Unit, string? Item = null);
