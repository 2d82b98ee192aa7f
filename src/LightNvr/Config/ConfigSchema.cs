using System.Reflection;
using System.Text;

namespace LightNvr.Config;

/// <summary>
/// Every key the server reads, found by reflection over <see cref="LightNvrConfig"/>: section = snake_case of the
/// section property, key = snake_case of the option property (or <see cref="ConfigKeyAttribute.Name"/>), plus aliases,
/// upstream's environment names and the settings-API names.
/// </summary>
public static class ConfigSchema
{
    private static readonly Lazy<IReadOnlyList<ConfigKeyInfo>> All = new(Build);
    private static readonly Lazy<Dictionary<(string, string), ConfigKeyInfo>> ByName = new(() => BuildIndex());
    private static readonly Lazy<Dictionary<string, ConfigKeyInfo>> BySetting = new(() =>
        Keys.Where(k => k.Rules.Setting is not null).ToDictionary(k => k.Rules.Setting!, StringComparer.Ordinal));

    public static IReadOnlyList<ConfigKeyInfo> Keys => All.Value;

    public static IEnumerable<string> Sections => Keys.Select(k => k.Section).Distinct();

    /// <summary>A key by section and key name or alias (both lower-case), or null.</summary>
    public static ConfigKeyInfo? Find(string section, string key) => ByName.Value.GetValueOrDefault((section, key));

    /// <summary>A key by its <c>/api/settings</c> JSON name, or null.</summary>
    public static ConfigKeyInfo? FindSetting(string name) => BySetting.Value.GetValueOrDefault(name);

    public static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                var prevLower = i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]));
                if (i > 0 && prevLower)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static List<ConfigKeyInfo> Build()
    {
        var keys = new List<ConfigKeyInfo>();
        foreach (var sectionProperty in typeof(LightNvrConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!sectionProperty.PropertyType.IsClass || sectionProperty.PropertyType == typeof(string))
            {
                continue;
            }

            var section = SnakeCase(sectionProperty.Name);
            foreach (var property in sectionProperty.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<ConfigKeyAttribute>() is { } rules)
                {
                    keys.Add(new ConfigKeyInfo(section, sectionProperty, property, rules));
                }
            }
        }

        return keys;
    }

    private static Dictionary<(string, string), ConfigKeyInfo> BuildIndex()
    {
        var index = new Dictionary<(string, string), ConfigKeyInfo>();
        foreach (var key in Keys)
        {
            index[(key.Section, key.Key)] = key;
            foreach (var alias in key.Rules.Aliases)
            {
                index[(key.Section, alias)] = key;
            }
        }

        return index;
    }
}
