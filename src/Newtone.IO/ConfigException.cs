namespace Newtone.IO;

/// <summary>A configuration problem; the message names the key (and the file, when there is one).</summary>
public sealed class ConfigException(string message) : Exception(message);
