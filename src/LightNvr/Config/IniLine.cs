namespace LightNvr.Config;

/// <summary>
/// One physical line of an INI file, kept verbatim (<see cref="Text"/>) so a rewrite changes only the lines it must.
/// For an entry, <see cref="Section"/> is the section it sits in ("" before the first header), <see cref="Key"/> is
/// lower-cased and <see cref="Value"/> has its quotes and inline comment removed.
/// </summary>
public sealed record IniLine(int Number, IniLineKind Kind, string Text, string Section, string Key, string Value)
{
    /// <summary>For <see cref="IniLineKind.Invalid"/>: why the line was not understood.</summary>
    public string? Error { get; init; }
}
