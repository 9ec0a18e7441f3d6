namespace Ra.Client.Keys;

/// <summary>A key, certificate or backup file that cannot be used, with a message fit to show the operator.</summary>
public sealed class KeyFileException(string message, Exception? inner = null) : Exception(message, inner);
