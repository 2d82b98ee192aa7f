namespace LightNvr.Import;

/// <summary>A recordings folder that moved: paths starting with <see cref="From"/> are read from <see cref="To"/>.</summary>
public sealed record PathMap(string From, string To)
{
    /// <summary>Parses <c>OLD=NEW</c>; both sides absolute. Null with a message otherwise.</summary>
    public static PathMap? Parse(string text, out string error)
    {
        error = "";
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            error = $"--map needs OLD=NEW, not '{text}'";
            return null;
        }

        var (from, to) = (text[..eq], text[(eq + 1)..]);
        if (!Path.IsPathFullyQualified(from) || !Path.IsPathFullyQualified(to))
        {
            error = $"--map paths must be absolute: '{text}'";
            return null;
        }

        return new PathMap(Path.TrimEndingDirectorySeparator(from) + "/", Path.TrimEndingDirectorySeparator(to) + "/");
    }
}
