using System.Text;

namespace LightNvr.Config;

/// <summary>
/// An INI file as lines: <c>[section]</c> headers, <c>key = value</c> (or <c>key: value</c>) entries, full-line
/// comments starting with <c>;</c> or <c>#</c>, inline comments after whitespace (as inih allows), and values
/// optionally wrapped in single or double quotes. Parsing never throws: a line it does not understand is kept as
/// <see cref="IniLineKind.Invalid"/> with its number so the caller can report it. <see cref="Set"/> rewrites one key
/// in place, keeping every other line (comments included) byte for byte.
/// </summary>
public sealed class IniDocument
{
    /// <summary>Bigger than any sane lightnvr.ini (upstream's sample is about 8 KB); guards against reading a wrong file.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private readonly List<IniLine> _lines;

    private IniDocument(List<IniLine> lines) => _lines = lines;

    public IReadOnlyList<IniLine> Lines => _lines;

    public IEnumerable<IniLine> Entries => _lines.Where(l => l.Kind == IniLineKind.Entry);

    public IEnumerable<IniLine> Errors => _lines.Where(l => l.Kind == IniLineKind.Invalid);

    public static IniDocument Parse(string text)
    {
        var lines = new List<IniLine>();
        var section = "";
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var count = raw.Length > 0 && raw[^1].Length == 0 ? raw.Length - 1 : raw.Length;
        for (var i = 0; i < count; i++)
        {
            var line = ParseLine(i + 1, i == 0 ? raw[i].TrimStart('\uFEFF') : raw[i], section);
            if (line.Kind == IniLineKind.Section)
            {
                section = line.Section;
            }

            lines.Add(line);
        }

        return new IniDocument(lines);
    }

    public static IniDocument Load(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxFileBytes)
        {
            throw new ConfigException($"{path}: file is {info.Length} bytes, more than the {MaxFileBytes} a config file may have");
        }

        return Parse(File.ReadAllText(path));
    }

    /// <summary>The last value given for the key in the section (later lines win, as in inih), or null.</summary>
    public IniLine? Find(string section, string key) =>
        _lines.LastOrDefault(l => l.Kind == IniLineKind.Entry && l.Section == section && l.Key == key);

    /// <summary>
    /// Sets a key: the last existing line for it is rewritten (its inline comment kept); otherwise a new line goes after
    /// the section's last entry, or a new section is appended at the end.
    /// </summary>
    public void Set(string section, string key, string value)
    {
        var text = $"{key} = {Quote(value)}";
        var existing = Find(section, key);
        if (existing is not null)
        {
            var index = _lines.IndexOf(existing);
            var comment = InlineComment(existing.Text);
            // An empty value before a kept comment is written as "": bare, the comment would read back as the value.
            var kept = value.Length == 0 ? $"{key} = \"\"" : text;
            _lines[index] = existing with { Text = comment.Length > 0 ? $"{kept} {comment}" : text, Value = value };
            return;
        }

        var header = _lines.FindLastIndex(l => l.Kind == IniLineKind.Section && l.Section == section);
        if (header < 0)
        {
            if (_lines.Count > 0 && _lines[^1].Kind != IniLineKind.Blank)
            {
                _lines.Add(new IniLine(0, IniLineKind.Blank, "", section, "", ""));
            }

            _lines.Add(new IniLine(0, IniLineKind.Section, $"[{section}]", section, "", ""));
            _lines.Add(new IniLine(0, IniLineKind.Entry, text, section, key, value));
            return;
        }

        var last = header;
        for (var i = header + 1; i < _lines.Count && _lines[i].Kind != IniLineKind.Section; i++)
        {
            if (_lines[i].Kind == IniLineKind.Entry)
            {
                last = i;
            }
        }

        _lines.Insert(last + 1, new IniLine(0, IniLineKind.Entry, text, section, key, value));
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var line in _lines)
        {
            sb.Append(line.Text).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Writes atomically: a temporary file beside the target, fsynced, checked by <paramref name="loadError"/> (the text
    /// as a file would load: null, or why not), renamed over the target, and the folder fsynced so the rename survives a
    /// power cut. Returns null when saved, else the check's error with the target untouched and no temporary file left.
    /// </summary>
    public string? Save(string path, Func<string, string?>? loadError = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(ToString()));
                stream.Flush(flushToDisk: true);
            }

            if (loadError?.Invoke(tmp) is { } error)
            {
                File.Delete(tmp);
                return error;
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }

        IO.DirectorySync.Sync(dir);
        return null;
    }

    private static IniLine ParseLine(int number, string text, string section)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            return new IniLine(number, IniLineKind.Blank, text, section, "", "");
        }

        if (t[0] is ';' or '#')
        {
            return new IniLine(number, IniLineKind.Comment, text, section, "", "");
        }

        if (t[0] == '[')
        {
            var close = t.IndexOf(']', StringComparison.Ordinal);
            var rest = close < 0 ? "" : t[(close + 1)..].Trim();
            var name = close < 0 ? "" : t[1..close].Trim().ToLowerInvariant();
            if (close < 0 || name.Length == 0 || (rest.Length > 0 && rest[0] is not (';' or '#')))
            {
                return Invalid(number, text, section, "a section header must look like [name]");
            }

            return new IniLine(number, IniLineKind.Section, text, name, "", "");
        }

        var sep = t.IndexOfAny(['=', ':']);
        if (sep <= 0)
        {
            return Invalid(number, text, section, "expected 'key = value' or '[section]'");
        }

        var key = t[..sep].Trim().ToLowerInvariant();
        if (key.Any(char.IsWhiteSpace))
        {
            return Invalid(number, text, section, $"key '{key}' contains spaces");
        }

        if (!TryValue(t[(sep + 1)..], out var value, out var error))
        {
            return Invalid(number, text, section, error);
        }

        return new IniLine(number, IniLineKind.Entry, text, section, key, value);
    }

    private static IniLine Invalid(int number, string text, string section, string error) =>
        new(number, IniLineKind.Invalid, text, section, "", "") { Error = error };

    /// <summary>Strips quotes, or an inline comment (";" or "#" after whitespace) from an unquoted value.</summary>
    private static bool TryValue(string raw, out string value, out string error)
    {
        var v = raw.Trim();
        error = "";
        if (v.Length > 0 && v[0] is '"' or '\'')
        {
            var close = v.IndexOf(v[0], 1);
            var rest = close < 0 ? "" : v[(close + 1)..].Trim();
            if (close < 0 || (rest.Length > 0 && rest[0] is not (';' or '#')))
            {
                value = "";
                error = close < 0 ? "unterminated quote" : "text after the closing quote";
                return false;
            }

            value = v[1..close];
            return true;
        }

        for (var i = 1; i < v.Length; i++)
        {
            if (v[i] is ';' or '#' && char.IsWhiteSpace(v[i - 1]))
            {
                v = v[..i].TrimEnd();
                break;
            }
        }

        value = v;
        return true;
    }

    private static string InlineComment(string text)
    {
        var sep = text.IndexOfAny(['=', ':']);
        if (sep < 0)
        {
            return "";
        }

        var v = text[(sep + 1)..].Trim();
        var start = 1;
        if (v.Length > 0 && v[0] is '"' or '\'')
        {
            start = Math.Max(1, v.IndexOf(v[0], 1) + 1);
        }

        for (var i = start; i < v.Length; i++)
        {
            if (v[i] is ';' or '#' && (char.IsWhiteSpace(v[i - 1]) || i == start))
            {
                return v[i..];
            }
        }

        return "";
    }

    /// <summary>
    /// Quotes only when the value would not read back as itself: surrounding spaces, a leading quote, or a ';'/'#' after
    /// whitespace. INI has no escapes, so a value needing quotes that holds both quote kinds cannot be written, nor one
    /// holding a line break.
    /// </summary>
    private static string Quote(string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            // A line break would start a new line in the file: another key, or another section.
            throw new ConfigException($"value <{value.ReplaceLineEndings(" ")}> cannot be written to an INI file (it holds a line break)");
        }

        var needs = value.Trim() != value || (value.Length > 0 && value[0] is '"' or '\'') ||
            value.Where((c, i) => c is ';' or '#' && i > 0 && char.IsWhiteSpace(value[i - 1])).Any();
        if (!needs)
        {
            return value;
        }

        return !value.Contains('"', StringComparison.Ordinal) ? $"\"{value}\""
            : !value.Contains('\'', StringComparison.Ordinal) ? $"'{value}'"
            : throw new ConfigException($"value <{value}> cannot be written to an INI file (needs quoting but holds both quote kinds)");
    }
}
