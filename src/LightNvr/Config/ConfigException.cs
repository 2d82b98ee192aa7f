namespace LightNvr.Config;

/// <summary>A configuration error that stops start-up; the message names the file, line, key and what is allowed.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ConfigException()
    {
    }
}
