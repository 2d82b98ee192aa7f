using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Testing;

namespace LightNvr.Tests.Auth;

/// <summary>
/// The one access check names sub-streams too (issue 17 item 3): <c>NAME_sub</c> is allowed exactly when <c>NAME</c>
/// is, and a configured stream really named <c>X_sub</c> is checked by its own tags.
/// </summary>
public sealed class StreamAccessSubStreamTests
{
    [Fact]
    public async Task A_sub_stream_is_checked_as_its_camera()
    {
        using var folder = new TempFolder();
        var db = new Database(folder.File("db.sqlite"));
        await db.MigrateAsync(TimeProvider.System);
        var streams = new StreamStore(db);
        await streams.InsertAsync(new StreamConfig { Name = "porch", Url = "rtsp://p", Tags = "front", SubStreamUrl = "rtsp://p/sub" });
        await streams.InsertAsync(new StreamConfig { Name = "garage", Url = "rtsp://g", Tags = "garage" });
        await streams.InsertAsync(new StreamConfig { Name = "yard_sub", Url = "rtsp://y", Tags = "garage" });
        var access = new StreamAccess(streams);
        var gina = new Caller(7, "gina", Role.Viewer, "basic", null, "garage");

        Assert.False(await access.MayAccessAsync(gina, "porch", default));
        Assert.False(await access.MayAccessAsync(gina, "porch_sub", default));
        Assert.True(await access.MayAccessAsync(gina, "garage", default));
        Assert.True(await access.MayAccessAsync(gina, "garage_sub", default));
        Assert.True(await access.MayAccessAsync(gina, "yard_sub", default)); // a real stream of that name, own tags
        Assert.False(await access.MayAccessAsync(gina, "nothing_sub", default));
    }
}
