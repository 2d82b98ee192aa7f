namespace LightNvr.Import;

/// <summary>The import cannot go on; the message says why and what to do.</summary>
public sealed class ImportException(string message) : Exception(message);
