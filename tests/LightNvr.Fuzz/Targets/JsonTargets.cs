using System.Text;
using LightNvr.Api.Http;
using LightNvr.Api.Streams;
using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Fuzz.Targets;

/// <summary>
/// API request bodies. <see cref="RequestBody.ParseObject"/> gives the object or null (400); <see cref="RequestFields"/> and
/// <see cref="StreamRequest"/> report bad fields in <c>Error</c>. <see cref="SettingsService.Apply"/> answers with a
/// status; what it accepts is written to the INI file, which must then load without error and give the same values.
/// </summary>
public static class JsonTargets
{
    private static readonly string SettingsFile = Path.Combine(Path.GetTempPath(), $"lightnvr-fuzz-{Environment.ProcessId}.ini");

    public static void RunStreamRequest(byte[] data)
    {
        if (RequestBody.ParseObject(data) is not { } body)
        {
            return;
        }

        foreach (var (name, _) in body.ToList())
        {
            var f = new RequestFields(body);
            _ = f.Has(name);
            _ = f.IsExplicitNull(name);
            _ = new RequestFields(body).String(name, 64);
            _ = new RequestFields(body).Bool(name);
            _ = new RequestFields(body).Long(name, -10, 10);
            _ = new RequestFields(body).Int(name, 0, 100);
            _ = new RequestFields(body).Number(name, 0, 1);
            _ = new RequestFields(body).BoolArray(name, 3);
        }

        var current = new StreamConfig { Name = "cam", Url = "rtsp://127.0.0.1/cam" };
        foreach (var create in (bool[])[true, false])
        {
            var request = new StreamRequest(new RequestFields(body));
            var result = request.Apply(current, create);
            if (result is null == request.Error is null)
            {
                throw new FuzzInvariantException($"Apply gave {(result is null ? "null" : "a config")} with error <{request.Error}>");
            }
        }
    }

    public static void RunSettings(byte[] data)
    {
        File.Delete(SettingsFile);
        var snapshots = new ConfigSnapshots(new LightNvrConfig { SourceFile = SettingsFile });
        var update = new SettingsService(snapshots).Apply(Encoding.UTF8.GetString(data));
        var live = snapshots.Current;
        if (update.Status != 200)
        {
            if (update.Error is null)
            {
                throw new FuzzInvariantException($"status {update.Status} without an error message");
            }

            return;
        }

        if (update.Changed.Count == 0)
        {
            return;
        }

        // What was accepted must survive a restart: the file loads and gives back every changed value.
        var doc = IniDocument.Load(SettingsFile);
        var reloaded = new LightNvrConfig();
        try
        {
            ConfigLoader.Bind(doc, SettingsFile, reloaded, []);
        }
        catch (ConfigException e)
        {
            throw new FuzzInvariantException($"settings accepted {string.Join(", ", update.Changed)}, then the file fails to load: {e.Message}");
        }

        foreach (var key in ConfigSchema.Keys.Where(k => k.Rules.Setting is { } s && update.Changed.Contains(s)))
        {
            var (a, b) = (key.GetValue(live), key.GetValue(reloaded));
            if (!Equals(a, b))
            {
                throw new FuzzInvariantException($"{key.Id}: set to <{a}> but the file reads back <{b}>");
            }
        }
    }
}
