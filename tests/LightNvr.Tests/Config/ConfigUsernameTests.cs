using LightNvr.Config;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

/// <summary>
/// [web] username becomes the first admin: it is checked at load with the user API's own rules
/// (<see cref="UsernameRule.Problem"/>), so the config cannot create a user the API would refuse.
/// </summary>
public sealed class ConfigUsernameTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("ad\0min", "control characters")]
    [InlineData("ad\u0007min", "control characters")]
    [InlineData("ad:min", "':'")]
    [InlineData("ab", "between 3 and 32")]
    public void A_username_the_user_api_would_refuse_is_a_config_error(string username, string expected)
    {
        var file = _dir.File("lightnvr.ini", $"[web]\nusername = {username}\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file, new Dictionary<string, string>(), "/"));
        Assert.Contains("[web] username", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(file, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', e.Message); // the value is shown escaped, not raw
    }

    [Fact]
    public void The_environment_override_is_checked_too()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null,
            new Dictionary<string, string> { ["LIGHTNVR_WEB_USERNAME"] = "x\ny" }, _dir.Path));
        Assert.Contains("control characters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_username_loads()
    {
        var file = _dir.File("lightnvr.ini", "[web]\nusername = camera-admin\n");
        Assert.Equal("camera-admin", ConfigLoader.Load(file, new Dictionary<string, string>(), "/").Config.Web.Username);
    }
}
