using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Integrations.Mqtt;
using LightNvr.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Integrations;

/// <summary>
/// Switch commands act as <c>[mqtt] command_user</c> (real SQLite): none configured, a viewer, an inactive user or one
/// whose allowed tags exclude the stream changes nothing; an operator role changes the stream through
/// <see cref="StreamChanges"/> (its listeners hear of it as for an API change).
/// </summary>
public sealed class MqttCommandsTests
{
    private sealed class Listener : IStreamChangeListener
    {
        public readonly List<string> Heard = [];

        public Task OnStreamAddedAsync(StreamConfig stream, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task OnStreamUpdatedAsync(StreamConfig before, StreamConfig after, CancellationToken cancellationToken)
        {
            Heard.Add($"{after.Name} record={after.Record} detection={after.DetectionBasedRecording}");
            return Task.CompletedTask;
        }

        public Task OnStreamRemovedAsync(StreamConfig stream, bool permanent, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static async Task<(MqttCommands Commands, StreamStore Streams, Listener Listener)> SetUpAsync(TempFolder folder, string commandUser)
    {
        var time = new TestClock();
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(time);
        var streams = new StreamStore(db);
        var users = new UserStore(db, time);
        await users.InsertAsync(new UserRecord { Username = "operator", Role = Role.User });
        await users.InsertAsync(new UserRecord { Username = "watcher", Role = Role.Viewer });
        await users.InsertAsync(new UserRecord { Username = "gone", Role = Role.Admin, IsActive = false });
        await users.InsertAsync(new UserRecord { Username = "garden", Role = Role.User, AllowedTags = "garden" });
        await streams.InsertAsync(new StreamConfig { Name = "door", Url = "rtsp://door", Record = true, Tags = "front" });
        var config = new LightNvrConfig { Mqtt = new MqttOptions { CommandUser = commandUser } };
        var listener = new Listener();
        var changes = new StreamChanges(streams, new StreamChangeBroadcaster([listener], NullLogger<StreamChangeBroadcaster>.Instance),
            new ConfigSnapshots(config).Streams);
        return (new MqttCommands(streams, () => changes, users, ConfigSection<MqttOptions>.Fixed(config.Mqtt)), streams, listener);
    }

    [Theory]
    [InlineData("")]
    [InlineData("watcher")]
    [InlineData("gone")]
    [InlineData("garden")]
    [InlineData("nobody")]
    public async Task Without_a_user_allowed_to_change_the_stream_nothing_changes(string user)
    {
        using var folder = new TempFolder();
        var (commands, streams, listener) = await SetUpAsync(folder, user);
        Assert.Equal(MqttCommandOutcome.Forbidden, await commands.HandleAsync("door", "recording", "OFF", default));
        Assert.True((await streams.GetAsync("door"))!.Record);
        Assert.Empty(listener.Heard);
    }

    [Fact]
    public async Task An_operator_command_user_switches_recording_and_detection_through_the_stream_service()
    {
        using var folder = new TempFolder();
        var (commands, streams, listener) = await SetUpAsync(folder, "operator");
        Assert.Equal(MqttCommandOutcome.Done, await commands.HandleAsync("door", "recording", "off", default));
        Assert.False((await streams.GetAsync("door"))!.Record);
        Assert.Equal(MqttCommandOutcome.Unchanged, await commands.HandleAsync("door", "recording", "OFF", default));
        Assert.Equal(MqttCommandOutcome.Done, await commands.HandleAsync("door", "detection", "ON", default));
        Assert.True((await streams.GetAsync("door"))!.DetectionBasedRecording);
        Assert.Equal(MqttCommandOutcome.BadPayload, await commands.HandleAsync("door", "recording", "maybe", default));
        Assert.Equal(MqttCommandOutcome.UnknownStream, await commands.HandleAsync("yard", "recording", "ON", default));
        Assert.Equal(["door record=False detection=False", "door record=False detection=True"], listener.Heard);
    }
}
