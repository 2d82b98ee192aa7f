using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Integrations;

/// <summary>
/// Webhooks on the real server process, to a receiver written independently in Python
/// (<c>tests/receivers/webhook_receiver.py</c>: Python's hmac, the recipe of docs/webhooks.md, its own clock for the
/// five-minute window). The receiver answers the first request 503; the server is killed with SIGKILL while the
/// delivery waits for its retry, started again on the same folder, and the retry arrives after the restart: the same
/// delivery id and body, signed again, verified by Python.
/// </summary>
public sealed class WebhookRestartTests
{
    private const string Secret = "interop-webhook-secret-0123";
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_kill_during_retries_delivers_after_the_restart_and_python_verifies_every_signature()
    {
        var receiverPort = FreePort.Next();
        using var receiver = StartReceiver(receiverPort, failFirst: 1);
        try
        {
            await RunAsync(receiver, receiverPort);
        }
        finally
        {
            receiver.Kill();
            await receiver.WaitForExitAsync();
        }
    }

    private static async Task RunAsync(Process receiver, int receiverPort)
    {
        var lines = new List<JsonElement>();
        receiver.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith('{'))
            {
                lock (lines)
                {
                    lines.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        };
        receiver.BeginOutputReadLine();

        using var server = ServerProcess.Start();
        using var http = await ClientAsync(server);
        await PostAsync(http, "/api/streams", """{"name":"porch","url":"rtsp://127.0.0.1:1/p","enabled":false}""");
        var hook = await PostAsync(http, "/api/webhooks",
            $$"""{"url":"http://127.0.0.1:{{receiverPort}}/hook","events":["start"],"secret":"{{Secret}}"}""");
        var id = hook.GetProperty("id").GetInt64();
        await PostAsync(http, "/api/motion/trigger", """{"stream":"porch","action":"pulse","duration_ms":1000,"label":"person"}""");

        // The first attempt got its 503: the delivery waits 5 s for its retry. Kill the server now.
        await UntilAsync(async () => (await DeliveryAsync(http, id)) is { } d && d.GetProperty("attempts").GetInt32() == 1, "first attempt");
        var pending = (await DeliveryAsync(http, id))!.Value;
        Assert.Equal("pending", pending.GetProperty("state").GetString());
        Assert.Equal(503, pending.GetProperty("last_status").GetInt32());
        server.Signal("KILL");
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(10)));
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (lines)
        {
            Assert.Single(lines);
        }

        using var restarted = ServerProcess.Launch(server.Folder, server.Port, ["-c", server.ConfigFile]);
        using var http2 = await ClientAsync(restarted);
        await UntilAsync(async () => (await DeliveryAsync(http2, id)) is { } d && d.GetProperty("state").GetString() == "delivered",
            "delivered after the restart");

        var delivered = (await DeliveryAsync(http2, id))!.Value;
        Assert.Equal(2, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(204, delivered.GetProperty("last_status").GetInt32());
        JsonElement[] seen;
        lock (lines)
        {
            seen = [.. lines];
        }
        Assert.Equal(2, seen.Length);
        Assert.All(seen, r => Assert.True(r.GetProperty("verified").GetBoolean(), r.ToString()));
        Assert.All(seen, r => Assert.Equal("event.start", r.GetProperty("event").GetString()));
        Assert.Equal(seen[0].GetProperty("delivery").GetString(), seen[1].GetProperty("delivery").GetString());
        Assert.Equal(seen[0].GetProperty("body").GetString(), seen[1].GetProperty("body").GetString());
        Assert.True(long.Parse(seen[1].GetProperty("timestamp").GetString()!) >= killedAt, "the retry came after the kill");
        var body = JsonDocument.Parse(seen[0].GetProperty("body").GetString()!).RootElement;
        Assert.Equal("porch", body.GetProperty("event").GetProperty("stream").GetString());
        Assert.Equal("person", body.GetProperty("event").GetProperty("label").GetString());
    }

    private static Process StartReceiver(int port, int failFirst)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(RepoPaths.Root, "tests", "receivers", "webhook_receiver.py"), port.ToString(), Secret, failFirst.ToString() })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        return process;
    }

    private static async Task<HttpClient> ClientAsync(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:test-Password-1")));
        await UntilAsync(async () =>
        {
            try
            {
                using var r = await http.GetAsync("/api/webhooks");
                return r.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "server up:\n" + server.Stderr);
        return http;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement?> DeliveryAsync(HttpClient http, long hook)
    {
        var list = JsonDocument.Parse(await http.GetStringAsync($"/api/webhooks/{hook}/deliveries")).RootElement.GetProperty("deliveries");
        return list.GetArrayLength() == 1 ? list[0].Clone() : null;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < MaxWait, what);
            await Task.Delay(100);
        }
    }
}
