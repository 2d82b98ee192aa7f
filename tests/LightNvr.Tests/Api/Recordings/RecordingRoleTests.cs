using System.Net;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api.Recordings;

/// <summary>
/// Every new recordings, timeline and storage endpoint, called by each role: a role below the endpoint's policy gets
/// 403, anonymous 401, an allowed role anything but 401/403 (the call itself may then be a 400/404 for the fake ids).
/// </summary>
public sealed class RecordingRoleTests
{
    private const string Viewer = "viewer", Operator = "operator", Admin = "admin";

    public static TheoryData<string, string, string, string?> Endpoints => new()
    {
        { "GET", "/api/recordings", Viewer, null },
        { "GET", "/api/recordings/{id}", Viewer, null },
        { "DELETE", "/api/recordings/{id}", Operator, null },
        { "GET", "/api/recordings/play/{id}", Viewer, null },
        { "GET", "/api/recordings/download/{id}", Viewer, null },
        { "GET", "/api/recordings/thumbnail/{id}/0", Viewer, null },
        { "PUT", "/api/recordings/{id}/protect", Operator, """{"protected":true}""" },
        { "PUT", "/api/recordings/{id}/retention", Operator, """{"retention_days":5}""" },
        { "GET", "/api/recordings/{id}/tags", Viewer, null },
        { "PUT", "/api/recordings/{id}/tags", Operator, """{"tags":["a"]}""" },
        { "GET", "/api/recordings/tags", Viewer, null },
        { "GET", "/api/recordings/detection-labels", Viewer, null },
        { "POST", "/api/recordings/batch-tags", Operator, """{"ids":[{id}],"add":["x"]}""" },
        { "POST", "/api/recordings/batch-delete", Operator, """{"ids":[999999]}""" },
        { "GET", "/api/recordings/batch-delete/progress/nojob", Operator, null },
        { "POST", "/api/recordings/batch-protect", Operator, """{"ids":[{id}],"protected":false}""" },
        { "GET", "/api/recordings/protected", Viewer, null },
        { "POST", "/api/recordings/batch-download", Viewer, """{"ids":[{id}]}""" },
        { "GET", "/api/recordings/batch-download/status/notoken", Viewer, null },
        { "GET", "/api/recordings/batch-download/result/notoken", Viewer, null },
        { "GET", "/api/recordings/files/check?path={file}", Admin, null },
        { "DELETE", "/api/recordings/files?path={storage}/nofile.mp4", Admin, null },
        { "POST", "/api/recordings/sync", Admin, null },
        { "GET", "/api/recordings/export?stream=cam1&start=1767268800&end=1767268860", Viewer, null },
        { "GET", "/api/timeline/segments?stream=cam1", Viewer, null },
        { "GET", "/api/timeline/segments-by-ids?ids={id}", Viewer, null },
        { "GET", "/api/timeline/manifest?stream=cam1", Viewer, null },
        { "GET", "/api/timeline/play?stream=cam1", Viewer, null },
        { "GET", "/api/storage/health", Viewer, null },
        { "POST", "/api/storage/cleanup", Admin, null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_role_is_allowed_or_refused(string method, string path, string policy, string? body)
    {
        await using var host = await RecordingsApiHost.StartAsync();
        var id = await host.AddAsync("cam1", host.Host.Time.GetUtcNow().AddHours(-1), RecordingsApiHost.Pattern(100));
        var file = (await host.Host.Service<LightNvr.Data.RecordingStore>().GetAsync(id))!.FilePath;
        string Fill(string s) => s.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{file}", Uri.EscapeDataString(file), StringComparison.Ordinal)
            .Replace("{storage}", host.Config.Storage.Path, StringComparison.Ordinal);
        var rank = new Dictionary<string, int> { [Viewer] = 0, ["apiuser"] = 1, [Operator] = 1, [Admin] = 2 };
        foreach (var who in new[] { "anonymous", Viewer, "apiuser", Operator, Admin })
        {
            using var client = host.As(who);
            using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
            if (body is not null)
            {
                request.Content = TestServerHost.Json(Fill(body));
            }
            using var response = await client.SendAsync(request);
            var status = response.StatusCode;
            if (who == "anonymous")
            {
                Assert.Equal(HttpStatusCode.Unauthorized, status);
            }
            else if (rank[who] >= rank[policy])
            {
                Assert.True(status is not HttpStatusCode.Unauthorized and not HttpStatusCode.Forbidden,
                    $"{who} {method} {path}: {(int)status}");
            }
            else
            {
                Assert.True(status == HttpStatusCode.Forbidden, $"{who} {method} {path}: {(int)status}, expected 403");
            }
        }
    }
}
