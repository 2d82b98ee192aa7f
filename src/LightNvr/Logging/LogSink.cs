using System.Text;

namespace LightNvr.Logging;

/// <summary>
/// Where every log record goes: one compact line (<c>[2026-01-01 12:00:00] [INFO] Category: message</c>) to the
/// console and appended to <c>[general] log_file</c>, plus the in-memory <see cref="LogRingBuffer"/>. Messages are made
/// single-line, cut at <see cref="MaxMessageChars"/> and passed through <see cref="UrlRedaction.RedactText"/>.
/// </summary>
public sealed class LogSink : IDisposable
{
    /// <summary>A runaway message (a dumped body, an SDP) must not flood the file or the ring buffer.</summary>
    public const int MaxMessageChars = 4096;

    private readonly TimeProvider _time;
    private readonly TextWriter? _console;
    private readonly Lock _lock = new();
    private FileStream? _file;
    private volatile int _configLevel;

    public LogSink(TimeProvider time, LogRingBuffer ring, string? filePath, TextWriter? console, int configLevel)
    {
        _time = time;
        Ring = ring;
        FilePath = string.IsNullOrEmpty(filePath) ? null : filePath;
        _console = console;
        _configLevel = configLevel;
        if (FilePath is not null)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                _file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                FileError = $"cannot open log file {FilePath}: {e.Message}";
            }
        }
    }

    public LogRingBuffer Ring { get; }

    public string? FilePath { get; }

    /// <summary>Why the log file could not be opened (logged once logging is up), or null.</summary>
    public string? FileError { get; }

    /// <summary>Upstream's 0 error .. 3 debug; can change at run time (settings API).</summary>
    public int ConfigLevel
    {
        get => _configLevel;
        set => _configLevel = Math.Clamp(value, 0, 3);
    }

    public LogLevel MinLevel => LogLevels.FromConfig(_configLevel);

    /// <summary>Framework categories (Microsoft.*, System.*) only from Warning up, unless at debug level.</summary>
    public bool IsEnabled(LogLevel level, string category)
    {
        if (level == LogLevel.None || level < MinLevel)
        {
            return false;
        }

        var framework = category.StartsWith("Microsoft.", StringComparison.Ordinal) || category.StartsWith("System.", StringComparison.Ordinal);
        return !framework || level >= LogLevel.Warning || _configLevel >= 3;
    }

    public void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var now = _time.GetLocalNow();
        var text = Compact(message, exception);
        var stamp = now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Ring.Add(new LogRecord(now, stamp, level, text));
        var line = $"[{stamp}] [{LogLevels.Name(level)}] {ShortCategory(category)}: {text}\n";
        lock (_lock)
        {
            try
            {
                _console?.Write(line);
                if (_file is not null)
                {
                    _file.Write(Encoding.UTF8.GetBytes(line));
                    _file.Flush();
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // A full disk or a closed console must never take the server down; the ring buffer still has it.
            }
        }
    }

    /// <summary>Empties the ring buffer and truncates the log file (<c>POST /api/system/logs/clear</c>).</summary>
    public void Clear()
    {
        Ring.Clear();
        lock (_lock)
        {
            _file?.SetLength(0);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    internal static string Compact(string message, Exception? exception)
    {
        var text = exception is null ? message : $"{message} | {exception.GetType().Name}: {exception.Message}";
        if (text.Length > MaxMessageChars)
        {
            text = string.Concat(text.AsSpan(0, MaxMessageChars), "…");
        }

        text = text.Replace("\r\n", " ⏎ ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
        return UrlRedaction.RedactText(text);
    }

    private static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }
}
