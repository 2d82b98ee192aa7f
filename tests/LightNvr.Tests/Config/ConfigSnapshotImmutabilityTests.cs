using System.Reflection;
using System.Runtime.CompilerServices;
using LightNvr.Config;

namespace LightNvr.Tests.Config;

/// <summary>
/// A published configuration snapshot cannot change (<see cref="ConfigSnapshots"/>): every property of
/// <see cref="LightNvrConfig"/> and of every option type in <c>LightNvr.Config</c> is init-only, and there are no writable
/// fields. Fails as soon as someone adds <c>{ get; set; }</c> to an option.
/// </summary>
public sealed class ConfigSnapshotImmutabilityTests
{
    /// <summary>LightNvrConfig, the type of each of its sections, and every other <c>*Options</c> type of the config layer.</summary>
    private static IEnumerable<Type> OptionTypes() =>
        typeof(LightNvrConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.PropertyType)
            .Where(t => t.IsClass && t != typeof(string))
            .Concat(typeof(LightNvrConfig).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(LightNvrConfig).Namespace && t.Name.EndsWith("Options", StringComparison.Ordinal)))
            .Append(typeof(LightNvrConfig))
            .Distinct();

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    [Fact]
    public void Every_option_property_is_init_only_and_no_option_has_a_writable_field()
    {
        var types = OptionTypes().ToList();
        Assert.True(types.Count >= 17, $"only {types.Count} option types found: the reflection no longer finds the sections");
        var mutable = new List<string>();
        foreach (var type in types)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            {
                if (property.SetMethod is { } setter && !setter.IsPrivate && !IsInitOnly(setter))
                {
                    mutable.Add($"{type.Name}.{property.Name} has a setter ({(setter.IsPublic ? "public" : "non-private")}): use init");
                }
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (!field.IsInitOnly && !field.IsLiteral)
                {
                    mutable.Add($"{type.Name}.{field.Name} is a writable field");
                }
            }
        }

        Assert.Empty(mutable);
    }

    [Fact]
    public void A_change_is_a_new_snapshot_and_the_published_one_keeps_its_values()
    {
        var first = new LightNvrConfig { Web = new WebOptions { Port = 8080 } };
        var snapshots = new ConfigSnapshots(first);
        var web = snapshots.Web;

        snapshots.Publish(first with { Web = first.Web with { Port = 8081 } });

        Assert.Equal(8080, first.Web.Port); // the snapshot a reader held is untouched
        Assert.Equal(8081, web.Current.Port);
        Assert.NotSame(first, snapshots.Current);
    }

    [Fact]
    public void Publishing_without_keys_finds_the_changed_ones()
    {
        var snapshots = new ConfigSnapshots(new LightNvrConfig());
        ConfigChange? seen = null;
        snapshots.Changed += c => seen = c;

        snapshots.Publish(snapshots.Current with
        {
            Storage = snapshots.Current.Storage with { RetentionDays = 7 },
            Mqtt = snapshots.Current.Mqtt with { TopicPrefix = "nvr" },
        });

        Assert.NotNull(seen);
        Assert.Equal(new[] { "mqtt.topic_prefix", "storage.retention_days" },
            seen.Keys.Select(k => $"{k.Section}.{k.Key}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_option_prints_no_values()
    {
        Assert.DoesNotContain("hunter2", new WebOptions { Password = "hunter2" }.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", new LightNvrConfig { Mqtt = new MqttOptions { Password = "hunter2" } }.ToString(),
            StringComparison.Ordinal);
    }
}
