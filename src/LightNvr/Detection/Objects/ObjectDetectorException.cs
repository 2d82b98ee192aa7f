namespace LightNvr.Detection.Objects;

/// <summary>A detector could not run (model missing or unreadable, service down or answering garbage); the message says which.</summary>
public sealed class ObjectDetectorException(string message, Exception? inner = null) : Exception(message, inner);
