using System.Net;
using System.Text.Json.Nodes;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Security;

/// <summary>
/// Regression tests for the holes a probe found (issue 11) that the authorization matrix does not show by status code
/// alone: what a restricted or anonymous caller can still learn or change.
/// </summary>
public sealed class SecurityRegressionTests(AuthorizationMatrixTests.Fixture fixture) : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    [Theory]
    [InlineData("allowed_tags")]
    [InlineData("allowed_login_cidrs")]
    public async Task A_non_admin_cannot_lift_its_own_restriction_with_null(string field)
    {
        await using var host = await TestServerHost.StartAsync();
        var (hash, salt) = host.Service<PasswordHasher>().Hash("gina-password");
        var id = (await host.Service<UserStore>().InsertAsync(new UserRecord
        {
            Username = "gina", PasswordHash = hash, Salt = salt, Role = Role.User, AllowedTags = "garage",
            AllowedLoginCidrs = "127.0.0.0/8",
        }))!.Value;
        using var gina = await host.SessionClientAsync("gina", "gina-password");
        using var response = await gina.PutAsync($"/api/auth/users/{id}", TestServerHost.Json($$"""{"{{field}}":null}"""));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var user = await host.Service<UserStore>().GetAsync(id);
        Assert.Equal("garage", user!.AllowedTags);
        Assert.Equal("127.0.0.0/8", user.AllowedLoginCidrs);

        // An admin still clears it with null.
        using var admin = await host.SessionClientAsync();
        using var cleared = await admin.PutAsync($"/api/auth/users/{id}", TestServerHost.Json($$"""{"{{field}}":null}"""));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null(field == "allowed_tags" ? (await host.Service<UserStore>().GetAsync(id))!.AllowedTags
            : (await host.Service<UserStore>().GetAsync(id))!.AllowedLoginCidrs);
    }

    /// <summary>Two enabled on-demand cameras added through the API (so the camera service runs them): never connected while nobody watches.</summary>
    private async Task AddLiveStreamsAsync()
    {
        foreach (var (name, tags) in new[] { ("porch-live", "front"), ("garage-live", "garage") })
        {
            using var response = await fixture.Clients["admin"].PostAsync("/api/streams", TestServerHost.Json(
                $$"""{"name":"{{name}}","url":"rtsp://127.0.0.1:1/{{name}}","record":false,"tags":"{{tags}}"}"""));
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Anonymous_health_lists_no_streams_and_a_tag_limited_viewer_only_its_own()
    {
        await AddLiveStreamsAsync();
        using var anonymous = fixture.Client();
        var health = JsonNode.Parse(await anonymous.GetStringAsync("/api/health"))!;
        Assert.Empty(health["streams_detail"]!.AsArray());
        Assert.True(health["streams"]!["total"]!.GetValue<int>() >= 2, health.ToJsonString()); // the counts stay public

        var limited = JsonNode.Parse(await fixture.Clients["tagviewer"].GetStringAsync("/api/health"))!["streams_detail"]!.AsArray();
        Assert.DoesNotContain(limited, s => s!["name"]!.GetValue<string>() == "porch-live");
        Assert.Contains(limited, s => s!["name"]!.GetValue<string>() == "garage-live");
        var admin = JsonNode.Parse(await fixture.Clients["admin"].GetStringAsync("/api/health"))!["streams_detail"]!.AsArray();
        Assert.Contains(admin, s => s!["name"]!.GetValue<string>() == "porch-live");
    }

    [Fact]
    public async Task The_go2rtc_stream_list_shows_a_tag_limited_viewer_only_its_streams()
    {
        await AddLiveStreamsAsync();
        var limited = JsonNode.Parse(await fixture.Clients["tagviewer"].GetStringAsync("/go2rtc/api/streams"))!.AsObject();
        var viewer = JsonNode.Parse(await fixture.Clients["viewer"].GetStringAsync("/go2rtc/api/streams"))!.AsObject();
        Assert.Contains("porch-live", viewer.Select(p => p.Key));
        Assert.DoesNotContain("porch-live", limited.Select(p => p.Key));
        Assert.Contains("garage-live", limited.Select(p => p.Key));
        Assert.All(limited.Select(p => p.Key), name => Assert.Contains(name, viewer.Select(p => p.Key)));
    }

    [Fact]
    public async Task Viewers_see_no_absolute_paths_no_credentials_in_urls()
    {
        var store = fixture.Host.Service<StreamStore>();
        await store.InsertAsync(new StreamConfig
        {
            Name = "dahua", Enabled = false, Url = "rtsp://10.0.0.9:554/cam/user=admin_password=hunter2_channel=1_stream=0.sdp?token=t0ps3cret",
        });
        foreach (var identity in new[] { "viewer", "tagviewer" })
        {
            var list = await fixture.Clients[identity].GetStringAsync("/api/recordings");
            Assert.DoesNotContain(fixture.StoragePath, list, StringComparison.Ordinal);
            using var one = await fixture.Clients[identity].GetAsync("/api/recordings/2");
            var row = JsonNode.Parse(await one.Content.ReadAsStringAsync())!;
            Assert.Equal("garage.mp4", row["file_path"]!.GetValue<string>());
        }
        var adminRow = JsonNode.Parse(await fixture.Clients["admin"].GetStringAsync("/api/recordings/2"))!;
        Assert.StartsWith(fixture.StoragePath, adminRow["file_path"]!.GetValue<string>(), StringComparison.Ordinal);

        var dahua = await fixture.Clients["viewer"].GetStringAsync("/api/streams/dahua");
        Assert.DoesNotContain("hunter2", dahua, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ps3cret", dahua, StringComparison.Ordinal);
        Assert.DoesNotContain("user=admin", dahua, StringComparison.Ordinal);
        Assert.Contains("channel=1", dahua, StringComparison.Ordinal);
    }
}
