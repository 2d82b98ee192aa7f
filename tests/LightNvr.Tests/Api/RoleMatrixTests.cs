using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api;

/// <summary>
/// Every role (admin, user, viewer, api, anonymous) against every auth and stream endpoint: allowed (any status but
/// 401/403), 401 with a JSON error when unauthenticated, 403 with a JSON error when the role does not suffice.
/// Requests are chosen so an allowed call does not change what later rows see.
/// </summary>
public sealed class RoleMatrixTests(RoleMatrixTests.Fixture fixture) : IClassFixture<RoleMatrixTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public TestServerHost Host { get; private set; } = null!;
        public Dictionary<string, HttpClient> Clients { get; } = [];

        public async Task InitializeAsync()
        {
            Host = await TestServerHost.StartAsync();
            await Host.CreateUserAsync("alice", "alice-password", Role.User);
            await Host.CreateUserAsync("victor", "victor-password", Role.Viewer);
            var apiId = await Host.CreateUserAsync("robot", "robot-password", Role.Api);
            await Host.Service<UserStore>().SetApiKeyHashAsync(apiId, SecretTokens.Hash("robot-api-key-0123456789abcdef01"));
            await Host.Service<StreamStore>().InsertAsync(new StreamConfig { Name = "cam1", Url = "rtsp://u:p@cam/1" });

            Clients["admin"] = await Host.SessionClientAsync();
            Clients["user"] = Host.BasicClient("alice", "alice-password");
            Clients["viewer"] = await Host.SessionClientAsync("victor", "victor-password");
            var api = Host.Client();
            api.DefaultRequestHeaders.Add("X-API-Key", "robot-api-key-0123456789abcdef01");
            Clients["api"] = api;
            Clients["anonymous"] = Host.Client();
        }

        public async Task DisposeAsync()
        {
            foreach (var client in Clients.Values)
            {
                client.Dispose();
            }
            await Host.DisposeAsync();
        }
    }

    // Expected per role, in the order admin, user, viewer, api, anonymous: A allowed, F 403, U 401.
    public static TheoryData<string, string, string?, string> Cases => new()
    {
        { "GET", "/api/auth/login/config", null, "AAAAA" },
        { "GET", "/api/auth/verify", null, "AAAAU" },
        { "GET", "/api/auth/sessions", null, "AAAAU" },
        { "DELETE", "/api/auth/sessions/999999", null, "AAAAU" },
        { "GET", "/api/auth/trusted-devices", null, "AAAAU" },
        { "DELETE", "/api/auth/trusted-devices/999999", null, "AAAAU" },
        { "GET", "/api/auth/users", null, "AFFFU" },
        { "POST", "/api/auth/users", "{}", "AFFFU" },
        { "GET", "/api/auth/users/1", null, "AFFFU" },
        { "PUT", "/api/auth/users/1", "{}", "AFFFU" },
        { "DELETE", "/api/auth/users/999999", null, "AFFFU" },
        { "POST", "/api/auth/users/999999/api-key", null, "AFFFU" },
        { "PUT", "/api/auth/users/1/password", "{}", "AFFFU" },
        { "PUT", "/api/auth/users/1/password-lock", "{}", "AFFFU" },
        { "POST", "/api/auth/users/1/login-lockout/clear", null, "AFFFU" },
        { "POST", "/api/auth/login/totp", "{}", "AAAAA" },
        { "GET", "/api/auth/users/1/totp/status", null, "AFFFU" },
        { "POST", "/api/auth/users/1/totp/verify", "{}", "AFFFU" },
        { "POST", "/api/auth/users/999999/totp/setup", null, "AFFFU" },
        { "POST", "/api/auth/users/999999/totp/disable", null, "AFFFU" },
        { "GET", "/api/streams", null, "AAAAU" },
        { "GET", "/api/streams/cam1", null, "AAAAU" },
        { "GET", "/api/streams/cam1/full", null, "AAAAU" },
        { "POST", "/api/streams", "{}", "AAFAU" },
        { "PUT", "/api/streams/cam1", "{}", "AAFAU" },
        { "DELETE", "/api/streams/no-such-stream", null, "AAFAU" },
        { "GET", "/api/streams/cam1/retention", null, "AAAAU" },
        { "PUT", "/api/streams/cam1/retention", "{}", "AAFAU" },
    };

    private static readonly string[] Roles = ["admin", "user", "viewer", "api", "anonymous"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_role_against_every_endpoint(string method, string path, string? body, string expected)
    {
        for (var i = 0; i < Roles.Length; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = TestServerHost.Json(body);
            }
            using var response = await fixture.Clients[Roles[i]].SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var because = $"{method} {path} as {Roles[i]} → {status} {text}";
            switch (expected[i])
            {
                case 'A':
                    Assert.True(status is not 401 and not 403, because);
                    break;
                case 'U':
                    Assert.True(status == 401, because);
                    Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()), because);
                    break;
                case 'F':
                    Assert.True(status == 403, because);
                    Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()), because);
                    break;
            }
        }
    }

    [Fact]
    public async Task Refusals_carry_upstream_messages()
    {
        using var anonymous = await fixture.Clients["anonymous"].GetAsync("/api/auth/users");
        Assert.Equal("""{"error":"Unauthorized: Authentication required"}""", await anonymous.Content.ReadAsStringAsync());
        using var viewer = await fixture.Clients["viewer"].GetAsync("/api/auth/users");
        Assert.Equal("""{"error":"Forbidden: Admin privileges required"}""", await viewer.Content.ReadAsStringAsync());
        using var write = await fixture.Clients["viewer"].PostAsync("/api/streams", TestServerHost.Json("{}"));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("""{"error":"Viewer role cannot modify streams"}""", await write.Content.ReadAsStringAsync());
        Assert.Equal("application/json", write.Content.Headers.ContentType?.MediaType);
    }
}
