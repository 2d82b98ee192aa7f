using System.Diagnostics;
using System.Text.Json;
using LightNvr.Interop.Tests.Support;
using LightNvr.Testing.Onvif;

namespace LightNvr.Interop.Tests.Onvif;

/// <summary>
/// Cross-check of the project's ONVIF STAND-IN camera with an independent client nobody here wrote: npm <c>onvif</c>
/// 0.8.3 (tests/onvif-npm, installed by <c>scripts/install-deps.sh test</c>). It connects (GetSystemDateAndTime,
/// capabilities, profiles, with its own UsernameToken), reads device information and a stream URI, moves and stops
/// PTZ, lists presets and goes to one. If the stand-in misread the spec, this client would fail where ours passes.
/// </summary>
public sealed class NpmOnvifCrossCheckTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "onvif-npm", "crosscheck.js");

    private static async Task<JsonElement> RunAsync(OnvifStandIn camera, string password)
    {
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, "tests", "onvif-npm", "node_modules", "onvif")),
            "npm onvif is not installed: run scripts/install-deps.sh test (or npm ci in tests/onvif-npm)");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Script, camera.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "admin", password })
        {
            start.ArgumentList.Add(arg);
        }
        using var node = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await node.StandardOutput.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        Assert.True(line.StartsWith('{'), $"node printed: {output} {await node.StandardError.ReadToEndAsync()}");
        return JsonDocument.Parse(line).RootElement;
    }

    [Fact]
    public async Task Npm_onvif_reads_profiles_and_uris_and_drives_ptz_and_imaging_on_the_stand_in()
    {
        await using var camera = new OnvifStandIn(mainUri: "rtsp://127.0.0.1:8554/main", subUri: "rtsp://127.0.0.1:8554/sub");
        var result = await RunAsync(camera, "secret");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("ONVIF stand-in", result.GetProperty("model").GetString());
        Assert.Equal(["main:1920", "sub:640"], result.GetProperty("profiles").EnumerateArray()
            .Select(p => $"{p.GetProperty("token").GetString()}:{p.GetProperty("width").GetInt32()}").ToArray());
        Assert.Equal("rtsp://127.0.0.1:8554/sub", result.GetProperty("subUri").GetString());
        Assert.True(result.GetProperty("presets").TryGetProperty("Preset 1", out _), result.ToString());
        // The positions npm onvif read back (GetStatus) after each move, parsed by npm, not by us.
        static (double, double, double) At(JsonElement p) => (Math.Round(p.GetProperty("x").GetDouble(), 3),
            Math.Round(p.GetProperty("y").GetDouble(), 3), Math.Round(p.GetProperty("zoom").GetDouble(), 3));
        Assert.Equal((0.5, 0.25, 0.1), At(result.GetProperty("atPreset"))); // gotoPreset 1 after the move and stop
        Assert.Equal((-0.5, 0.25, 0.75), At(result.GetProperty("absolute")));
        Assert.Equal((-0.25, -0.25, 0.75), At(result.GetProperty("relative")));
        Assert.Equal((-0.5, 0.25, 0.75), At(result.GetProperty("home"))); // set at the absolute position
        Assert.Equal((-0.5, 0.25, 0.75), camera.Position);
        Assert.Equal((50, 70), (result.GetProperty("brightnessBefore").GetDouble(), result.GetProperty("brightnessAfter").GetDouble()));
        Assert.Equal(70, camera.Imaging("Brightness"));
        Assert.Contains("ContinuousMove", camera.Operations);
        Assert.Contains("Stop", camera.Operations);
        Assert.Equal(0, camera.AuthFailures);
    }

    [Fact]
    public async Task Npm_onvif_is_refused_with_a_wrong_password()
    {
        await using var camera = new OnvifStandIn();
        var result = await RunAsync(camera, "wrong");
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.True(camera.AuthFailures > 0);
    }

    [Fact]
    public async Task Npm_onvif_authenticates_with_a_camera_clock_two_hours_off()
    {
        // npm onvif reads GetSystemDateAndTime and keeps the offset, as ours does: the stand-in's skew check passes.
        await using var camera = new OnvifStandIn(clockSkew: TimeSpan.FromHours(-2));
        var result = await RunAsync(camera, "secret");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(0, camera.AuthFailures);
    }
}
