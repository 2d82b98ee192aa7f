using System.Net;
using System.Text.Json;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api;

/// <summary>
/// Issue 17 item 6: the first-start wizard's API. GET /api/setup/status anonymous (done or not, nothing else), the
/// admin also gets the storage check and the camera count; POST marks it done (admin only, unlike upstream) or shows
/// the wizard again; an install that already has cameras counts as set up. The generated-password flow is untouched:
/// the admin signs in with the first password, and the wizard's password step is the ordinary password change.
/// </summary>
public sealed class SetupApiTests
{
    [Fact]
    public async Task A_fresh_install_is_not_set_up_until_the_admin_marks_it_done()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var anonymous = host.Client();
        Assert.Equal("""{"complete":false,"setup_completed_at":0}""", await anonymous.GetStringAsync("/api/setup/status"));
        using var refused = await anonymous.PostAsync("/api/setup/status", TestServerHost.Json("""{"complete":true}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var admin = await host.SessionClientAsync();
        using var status = JsonDocument.Parse(await admin.GetStringAsync("/api/setup/status"));
        var storage = status.RootElement.GetProperty("checks").GetProperty("storage");
        Assert.Equal(Path.GetFullPath(host.Config.Storage.Path), storage.GetProperty("path").GetString());
        Assert.True(storage.GetProperty("writable").GetBoolean());
        Assert.True(storage.GetProperty("total_bytes").GetInt64() > 0);
        Assert.Equal(0, status.RootElement.GetProperty("checks").GetProperty("streams").GetInt32());
        Assert.Empty(Directory.EnumerateFileSystemEntries(host.Config.Storage.Path)); // the write probe leaves nothing

        using var bad = await admin.PostAsync("/api/setup/status", TestServerHost.Json("""{"complete":"yes"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var done = await admin.PostAsync("/api/setup/status", null); // no body: done, as upstream
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var at = host.Time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal($$"""{"complete":true,"setup_completed_at":{{at}}}""", await anonymous.GetStringAsync("/api/setup/status"));

        using var again = await admin.PostAsync("/api/setup/status", TestServerHost.Json("""{"complete":false}"""));
        Assert.Contains("\"complete\":false", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("""{"complete":false""", await anonymous.GetStringAsync("/api/setup/status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_path_that_cannot_be_written_is_reported()
    {
        await using var host = await TestServerHost.StartAsync(full: true, configure: c =>
        {
            var blocker = Path.Combine(Path.GetDirectoryName(c.Database.Path)!, "a-file");
            File.WriteAllText(blocker, "not a folder");
            return c with { Storage = c.Storage with { Path = Path.Combine(blocker, "recordings") } }; // below a file: can never be created
        });
        using var admin = await host.SessionClientAsync();
        using var status = JsonDocument.Parse(await admin.GetStringAsync("/api/setup/status"));
        var storage = status.RootElement.GetProperty("checks").GetProperty("storage");
        Assert.False(storage.GetProperty("writable").GetBoolean());
        Assert.Contains("cannot write to", storage.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_install_that_already_has_cameras_counts_as_set_up()
    {
        await using var host = await TestServerHost.StartAsync(full: true);
        using var admin = await host.SessionClientAsync();
        using var created = await admin.PostAsync("/api/streams", TestServerHost.Json(
            """{"name":"porch","url":"rtsp://127.0.0.1:1/porch","enabled":false}"""));
        Assert.True(created.IsSuccessStatusCode);
        Assert.StartsWith("""{"complete":true""", await host.Client().GetStringAsync("/api/setup/status"), StringComparison.Ordinal);
    }
}
