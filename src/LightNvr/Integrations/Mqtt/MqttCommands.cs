using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Integrations.Mqtt;

/// <summary>
/// The recording and detection switches' commands (<c>&lt;prefix&gt;/&lt;stream&gt;/recording/set</c> = <c>ON|OFF</c>).
/// MQTT carries no user of ours, so commands act as <c>[mqtt] command_user</c>: it must be an active account whose role
/// may change streams (the API's operator policy: admin, user, api; not viewer) and whose allowed tags include the
/// stream, checked at each command (a change of the user's role applies at once). The change goes through
/// <see cref="StreamChanges"/>, the one service <c>PUT /api/streams/{name}</c> uses, so the cameras and recorders
/// follow exactly as for an API change. Recording is the stream's <c>record</c>; detection is its
/// <c>detection_based_recording</c> (events record clips; upstream's detection switch in the stream form).
/// <paramref name="changes"/> is resolved at the first command: <see cref="StreamChanges"/> tells every stream listener,
/// and the bridge that owns this is one of them (a constructor dependency would be a cycle).
/// </summary>
public sealed class MqttCommands(StreamStore streams, Func<StreamChanges> changes, UserStore users, ConfigSection<MqttOptions> mqtt)
{
    /// <summary>The caller's <c>Source</c> for commands over MQTT.</summary>
    public const string CallerSource = "mqtt";

    public async Task<MqttCommandOutcome> HandleAsync(string stream, string name, string payload, CancellationToken ct)
    {
        bool? on = payload.Trim().ToUpperInvariant() switch
        {
            "ON" => true,
            "OFF" => false,
            _ => null,
        };
        if (on is not { } value)
        {
            return MqttCommandOutcome.BadPayload;
        }
        var current = await streams.GetAsync(stream, ct).ConfigureAwait(false);
        if (current is null)
        {
            return MqttCommandOutcome.UnknownStream;
        }
        if (await CallerAsync(ct).ConfigureAwait(false) is not { } caller || !caller.MayAccessStream(current.Tags))
        {
            return MqttCommandOutcome.Forbidden;
        }
        var updated = name == MqttTopics.RecordingSwitch ? current with { Record = value } : current with { DetectionBasedRecording = value };
        if (updated == current)
        {
            return MqttCommandOutcome.Unchanged;
        }
        await changes().UpdateAsync(current, updated, ct).ConfigureAwait(false);
        return MqttCommandOutcome.Done;
    }

    /// <summary>The command user as a caller, or null when commands are not allowed.</summary>
    private async Task<Caller?> CallerAsync(CancellationToken ct)
    {
        var name = mqtt.Current.CommandUser.Trim();
        if (name.Length == 0)
        {
            return null;
        }
        var user = await users.GetByUsernameAsync(name, ct).ConfigureAwait(false);
        return user is { IsActive: true } && user.Role != Role.Viewer
            ? new Caller(user.Id, user.Username, user.Role, CallerSource, null, user.AllowedTags)
            : null;
    }
}
