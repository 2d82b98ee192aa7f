namespace LightNvr.Config;

/// <summary>What one physical line of an INI file holds.</summary>
public enum IniLineKind
{
    Blank,
    Comment,
    Section,
    Entry,
    Invalid,
}
