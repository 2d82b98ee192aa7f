using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Integrations;

/// <summary>Shared steps of the MQTT interop tests: the server's [mqtt] section, API calls, waits, mosquitto_pub.</summary>
internal static class MqttInterop
{
    public const string Password = "test-Password-1";

    public static Func<int, string> Ini(int brokerPort, string extra = "") => port => ServerProcess.DefaultIni(port, $"""
        [mqtt]
        enabled = true
        broker_host = 127.0.0.1
        broker_port = {brokerPort}
        client_id = nvr-test
        ha_snapshot_interval = 0
        {extra}
        """);

    public static HttpClient Http(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Password)));
        return http;
    }

    public static async Task WaitForAsync(ServerProcess server, Func<Task<bool>> until, string what, int seconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await until())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Assert.True(deadline.Elapsed.TotalSeconds < seconds && !server.Process.HasExited, $"no {what}; server log:\n{Log(server)}");
            await Task.Delay(100);
        }
    }

    public static string Log(ServerProcess server) =>
        server.Stdout + server.Stderr + (File.Exists(server.LogFile) ? File.ReadAllText(server.LogFile) : "");

    public static async Task<HttpClient> StartAsync(ServerProcess server)
    {
        var http = Http(server);
        await WaitForAsync(server, async () => (await http.GetAsync("/api/health")).IsSuccessStatusCode, "health");
        return http;
    }

    public static async Task AddStreamAsync(HttpClient http, string name, string url, string extra = "")
    {
        using var created = await http.PostAsync("/api/streams", new StringContent(
            $$"""{"name":"{{name}}","url":"{{url}}","post_detection_buffer":1{{extra}}}""", Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    public static async Task TriggerAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/api/motion/trigger", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)response.StatusCode);
    }

    /// <summary>The event message (<c>lightnvr/events</c>) as (type, event object).</summary>
    public static (string Type, JsonElement Event) Parse(MqttLine line)
    {
        var root = JsonDocument.Parse(line.Payload).RootElement;
        return (root.GetProperty("type").GetString()!, root.GetProperty("event"));
    }

    public static bool IsEvent(MqttLine line, string type, string stream, string? label = null, long? id = null)
    {
        if (line.Topic != "lightnvr/events")
        {
            return false;
        }
        var (t, e) = Parse(line);
        return t == type && e.GetProperty("stream").GetString() == stream && (label is null || e.GetProperty("label").GetString() == label)
            && (id is null || e.GetProperty("id").GetInt64() == id);
    }

    public static void Publish(int port, string topic, string payload, params string[] extra) =>
        Mosquitto.Run("mosquitto_pub", ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1",
            "-t", topic, "-m", payload, .. extra]);

    /// <summary>One message of a topic as raw bytes (retained pictures), read by mosquitto_sub -C 1 -N.</summary>
    public static async Task<byte[]> ReadBinaryAsync(int port, string topic, params string[] extra)
    {
        var psi = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-C", "1",
            "-W", "10", "-N", "-t", topic, .. extra])
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        using var bytes = new MemoryStream();
        await p.StandardOutput.BaseStream.CopyToAsync(bytes);
        await p.WaitForExitAsync();
        return bytes.ToArray();
    }
}
