using System.Diagnostics;
using System.Text.Json;
using LightNvr.Interop.Tests.Server;
using LightNvr.Interop.Tests.Support;
using Xunit.Abstractions;
using static LightNvr.Interop.Tests.Integrations.MqttInterop;

namespace LightNvr.Interop.Tests.Integrations;

/// <summary>
/// The broker side going wrong, with a real mosquitto: killed and restarted in the middle of an event (the client
/// reconnects, says online again, and sends what it queued in order, once); TLS with our own CA, and a wrong CA or a
/// wrong password (no connection, and nothing else slows down).
/// </summary>
[Collection("recording")]
public sealed partial class MqttBrokerInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_broker_killed_mid_event_gets_the_queued_messages_in_order_and_one_end_after_its_restart()
    {
        using var broker = Mosquitto.Create();
        // A persistent session (QoS 1, autosaved by the broker): what the server sends while this checker is still
        // reconnecting after the restart is kept for it.
        using var sub = new MosquittoSub(broker.Port, ["lightnvr/events", "lightnvr/availability"], id: "restart-check");
        using var camera = GstCamera.Start(new GstCameraOptions { Audio = "none", Fps = 15, Gop = 15 });
        using var server = ServerProcess.Start(Ini(broker.Port));
        using var http = await StartAsync(server);
        await AddStreamAsync(http, "yard", camera.Url, ""","record":false""");
        await sub.WaitForAsync(l => l.Topic == "lightnvr/availability" && l.Payload == "online", "online");

        await TriggerAsync(http, """{"stream":"yard","action":"start"}""");
        var (_, motion) = Parse(await sub.WaitForAsync(l => IsEvent(l, "start", "yard", "motion"), "motion start"));
        var motionId = motion.GetProperty("id").GetInt64();
        await Task.Delay(2500); // the broker autosaves every second: the checker's session is on disk

        broker.Kill();
        var killedAt = sub.Lines.Count;
        await WaitForAsync(server, () => Task.FromResult(Log(server).Contains("MQTT: connection lost", StringComparison.Ordinal)), "connection lost");
        // While the broker is away: the motion event ends, then a person comes and goes. Each change is queued.
        await TriggerAsync(http, """{"stream":"yard","action":"stop"}""");
        await WaitForAsync(server, async () => !(await Event(http, "motion")).GetProperty("active").GetBoolean(), "motion event end");
        await TriggerAsync(http, """{"stream":"yard","action":"pulse","duration_ms":200,"objects":["person"]}""");
        await WaitForAsync(server, async () => (await Event(http, "person")) is { ValueKind: JsonValueKind.Object } e
            && !e.GetProperty("active").GetBoolean(), "person event end");
        var personId = (await Event(http, "person")).GetProperty("id").GetInt64();
        // The API and recording never waited for the broker.
        var api = Stopwatch.StartNew();
        using (var health = await http.GetAsync("/api/health"))
        {
            Assert.True(health.IsSuccessStatusCode);
        }
        Assert.True(api.ElapsedMilliseconds < 2000, $"/api/health took {api.ElapsedMilliseconds} ms with the broker away");

        broker.Start();
        await sub.WaitForAsync(l => IsEvent(l, "end", "yard", id: personId), "queued person end after the restart", seconds: 45,
            context: () => "\n" + Log(server) + "\n" + broker.Log);
        var after = sub.Lines.Skip(killedAt).ToList();
        int At(Func<MqttLine, bool> match) => after.FindIndex(l => match(l));
        var motionEnd = At(l => IsEvent(l, "end", "yard", id: motionId));
        var personStart = At(l => IsEvent(l, "start", "yard", id: personId));
        var personEnd = At(l => IsEvent(l, "end", "yard", id: personId));
        var online = At(l => l.Topic == "lightnvr/availability" && l.Payload == "online");
        output.WriteLine($"after the restart: online at {online}, motion end {motionEnd}, person start {personStart}, person end {personEnd}");
        Assert.True(online >= 0, "online again after the restart");
        Assert.True(motionEnd >= 0 && motionEnd < personStart && personStart < personEnd, "queued messages in order");
        Assert.Single(sub.Lines, l => IsEvent(l, "end", "yard", id: motionId));
        Assert.Single(sub.Lines, l => IsEvent(l, "end", "yard", id: personId));
        Assert.Single(sub.Lines, l => IsEvent(l, "start", "yard", id: motionId));
        Assert.Equal(2, Regex().Matches(File.ReadAllText(server.LogFile)).Count); // the first connection and the one after the restart
    }

    [Fact]
    public async Task Tls_with_our_ca_connects_and_a_wrong_ca_or_a_wrong_password_does_not()
    {
        using var certs = TestCertificates.Create();
        using var broker = Mosquitto.Create(new Dictionary<string, string> { ["nvr"] = "nvr-pass", ["checker"] = "check-pass" }, certs);
        using var sub = new MosquittoSub(broker.Port, ["+/availability"], ["-u", "checker", "-P", "check-pass", "--cafile", certs.CaFile]);
        using var good = ServerProcess.Start(Ini(broker.Port, $"""
            username = nvr
            password = nvr-pass
            tls_enabled = true
            ca_file = {certs.CaFile}
            protocol_version = 5
            """));
        using var wrongCa = ServerProcess.Start(Ini(broker.Port, $"""
            username = nvr
            password = nvr-pass
            tls_enabled = true
            ca_file = {certs.OtherCaFile}
            client_id = wrong-ca
            topic_prefix = wrongca
            """));
        using var wrongPassword = ServerProcess.Start(Ini(broker.Port, $"""
            username = nvr
            password = not-the-password
            tls_enabled = true
            ca_file = {certs.CaFile}
            client_id = wrong-pw
            topic_prefix = wrongpw
            """));
        using var http = await StartAsync(good);
        await sub.WaitForAsync(l => l.Topic == "lightnvr/availability" && l.Payload == "online", "online over TLS (MQTT 5)",
            context: () => "\n" + Log(good) + "\n" + broker.Log);
        Assert.Contains("MQTT: connected to", Log(good), StringComparison.Ordinal);

        foreach (var (server, what) in new[] { (wrongCa, "wrong CA"), (wrongPassword, "wrong password") })
        {
            using var client = await StartAsync(server);
            await WaitForAsync(server, () => Task.FromResult(Log(server).Contains("MQTT: cannot connect", StringComparison.Ordinal)), what + " refused");
            var api = Stopwatch.StartNew();
            using var health = await client.GetAsync("/api/health");
            Assert.True(health.IsSuccessStatusCode && api.ElapsedMilliseconds < 2000, $"{what}: /api/health {api.ElapsedMilliseconds} ms");
            Assert.DoesNotContain("MQTT: connected to", Log(server), StringComparison.Ordinal);
            output.WriteLine($"{what}: " + Log(server).Split('\n').First(l => l.Contains("MQTT: cannot connect", StringComparison.Ordinal)));
        }
        Assert.Contains("not authorised", broker.Log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(sub.Lines, l => l.Topic is "wrongca/availability" or "wrongpw/availability");
        Assert.DoesNotContain("not-the-password", Log(wrongPassword), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> Event(HttpClient http, string label)
    {
        var list = JsonDocument.Parse(await http.GetStringAsync("/api/events?stream=yard")).RootElement.GetProperty("events");
        return list.EnumerateArray().FirstOrDefault(e => e.GetProperty("label").GetString() == label);
    }

    [System.Text.RegularExpressions.GeneratedRegex("MQTT: connected to")]
    private static partial System.Text.RegularExpressions.Regex Regex();
}
