namespace Newtone.IO;

/// <summary>
/// Bad input that the user can fix: the message is one line naming the file and the problem.
/// </summary>
public sealed class InputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InputException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public InputException(string message, Exception inner) : base(message, inner) { }
}
