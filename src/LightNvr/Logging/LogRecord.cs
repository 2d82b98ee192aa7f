namespace LightNvr.Logging;

/// <summary>One log record as kept in the ring buffer and served by <c>GET /api/system/logs</c>.</summary>
/// <param name="Timestamp">When it was written.</param>
/// <param name="TimestampText">Server-local <c>yyyy-MM-dd HH:mm:ss</c>, exactly as in the log line (upstream's shape).</param>
/// <param name="Level">Severity.</param>
/// <param name="Message">The rendered single-line message, secrets already redacted.</param>
public sealed record LogRecord(DateTimeOffset Timestamp, string TimestampText, LogLevel Level, string Message);
