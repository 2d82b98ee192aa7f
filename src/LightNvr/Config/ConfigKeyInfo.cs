using System.Globalization;
using System.Net;
using System.Reflection;

namespace LightNvr.Config;

/// <summary>
/// One bound key: where it lives (<see cref="Section"/>, <see cref="Key"/>), its rules (<see cref="Rules"/>) and how to
/// read and write it on a <see cref="LightNvrConfig"/>. Built once by <see cref="ConfigSchema"/> from the options
/// classes, so adding a property with a <see cref="ConfigKeyAttribute"/> is all a new key needs.
/// </summary>
public sealed class ConfigKeyInfo
{
    private readonly PropertyInfo _section;
    private readonly PropertyInfo _property;

    internal ConfigKeyInfo(string section, PropertyInfo sectionProperty, PropertyInfo property, ConfigKeyAttribute rules)
    {
        Section = section;
        Key = rules.Name ?? ConfigSchema.SnakeCase(property.Name);
        Rules = rules;
        _section = sectionProperty;
        _property = property;
    }

    public string Section { get; }

    public string Key { get; }

    public ConfigKeyAttribute Rules { get; }

    public Type ValueType => _property.PropertyType;

    public string Id => $"[{Section}] {Key}";

    public object GetValue(LightNvrConfig config) => _property.GetValue(_section.GetValue(config))!;

    /// <summary>
    /// Sets the key's init-only property by reflection: only for a snapshot that is still being built (the loader, the
    /// environment overrides, <see cref="SettingsService"/>'s copy), never one that is published. Internal so nothing
    /// outside the config layer can write an option.
    /// </summary>
    internal void SetValue(LightNvrConfig config, object value) => _property.SetValue(_section.GetValue(config), value);

    /// <summary>The value as it would be written in the INI file.</summary>
    public string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Converts and checks an INI/environment string; false with a message saying what is allowed.</summary>
    public bool TryParse(string text, out object value, out string error)
    {
        value = "";
        error = "";
        var t = text.Trim();
        if (ValueType == typeof(bool))
        {
            if (!TryParseBool(t, out var b))
            {
                error = "must be true or false (also yes/no, on/off, 1/0)";
                return false;
            }

            value = b;
            return true;
        }

        if (ValueType == typeof(int) || ValueType == typeof(long))
        {
            if (!long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                error = $"must be a whole number {RangeText()}".TrimEnd();
                return false;
            }

            return TryNumber(n, out value, out error);
        }

        return TryString(t, out value, out error);
    }

    public bool TryNumber(long n, out object value, out string error)
    {
        value = 0;
        var min = Math.Max(Rules.Min, ValueType == typeof(int) ? int.MinValue : long.MinValue);
        var max = Math.Min(Rules.Max, ValueType == typeof(int) ? int.MaxValue : long.MaxValue);
        if (n < min || n > max || (Rules.Choices.Length > 0 && !Rules.Choices.Contains(n.ToString(CultureInfo.InvariantCulture))))
        {
            error = $"must be {RangeText()}";
            return false;
        }

        error = "";
        value = ValueType == typeof(int) ? (object)(int)n : n;
        return true;
    }

    public bool TryString(string s, out object value, out string error)
    {
        value = s;
        error = "";
        if (Rules.Choices.Length > 0 && !Rules.Choices.Contains(s))
        {
            error = $"must be one of {string.Join(", ", Rules.Choices)}";
            return false;
        }

        if (Rules.IsIpAddress && !IPAddress.TryParse(s, out _))
        {
            error = "must be an IP address such as 0.0.0.0, 127.0.0.1 or ::";
            return false;
        }

        return true;
    }

    /// <summary>"between 1 and 65535", "one of 1, 3", "0 or more".</summary>
    public string RangeText()
    {
        if (Rules.Choices.Length > 0)
        {
            return $"one of {string.Join(", ", Rules.Choices)}";
        }

        var hasMin = Rules.Min != long.MinValue;
        var hasMax = Rules.Max != long.MaxValue;
        return (hasMin, hasMax) switch
        {
            (true, true) => $"between {Rules.Min} and {Rules.Max}",
            (true, false) => $"{Rules.Min} or more",
            (false, true) => $"{Rules.Max} or less",
            _ => "",
        };
    }

    internal static bool TryParseBool(string t, out bool b)
    {
        switch (t.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                b = true;
                return true;
            case "false" or "no" or "off" or "0":
                b = false;
                return true;
            default:
                b = false;
                return false;
        }
    }
}
