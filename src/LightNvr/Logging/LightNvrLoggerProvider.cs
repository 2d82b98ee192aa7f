namespace LightNvr.Logging;

/// <summary>Our only <see cref="ILoggerProvider"/>: every logger writes through the one <see cref="LogSink"/>.</summary>
[ProviderAlias("LightNvr")]
public sealed class LightNvrLoggerProvider(LogSink sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new SinkLogger(sink, categoryName);

    public void Dispose()
    {
        // The sink is a DI singleton and closes its file itself.
    }

    private sealed class SinkLogger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => sink.IsEnabled(logLevel, category);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
