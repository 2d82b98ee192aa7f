using System.Net;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Testing;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Api;

public sealed class UserApiTests
{
    private static string Error(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;

    [Theory]
    [InlineData("{nope", 400, "Invalid JSON in request body")]
    [InlineData("""{"username":"bob"}""", 400, "Missing required fields: username and password")]
    [InlineData("""{"username":"bo","password":"long-enough"}""", 400, "Username must be between 3 and 32 characters")]
    [InlineData("""{"username":"abcdefghijklmnopqrstuvwxyz0123456","password":"long-enough"}""", 400, "Username must be between 3 and 32 characters")]
    [InlineData("""{"username":"a:b","password":"long-enough"}""", 400, "Username must not contain ':' or control characters")]
    [InlineData("""{"username":"bob","password":"short"}""", 400, "Password must be at least 8 characters")]
    [InlineData("""{"username":"bob","password":"long-enough","role":4}""", 400, "Invalid role")]
    [InlineData("""{"username":"bob","password":"long-enough","role":"admin"}""", 400, "Invalid role")]
    [InlineData("""{"username":"bob","password":"long-enough","is_active":"yes"}""", 400, "Field 'is_active' must be a boolean")]
    [InlineData("""{"username":"bob","password":"long-enough","allowed_login_cidrs":5}""", 400, "Field 'allowed_login_cidrs' must be a string")]
    [InlineData("""{"username":"bob","password":"long-enough","allowed_login_cidrs":"10.0.0.0/99"}""", 400, "allowed_login_cidrs must contain valid IPv4/IPv6 CIDR entries or single IP addresses")]
    [InlineData("""{"username":"admin","password":"long-enough"}""", 409, "Username already exists")]
    public async Task Create_user_validation(string body, int status, string error)
    {
        await using var host = await TestServerHost.StartAsync();
        using var admin = await host.SessionClientAsync();
        using var response = await admin.PostAsync("/api/auth/users", TestServerHost.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, Error(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task User_lifecycle()
    {
        await using var host = await TestServerHost.StartAsync();
        using var admin = await host.SessionClientAsync();
        using var created = await admin.PostAsync("/api/auth/users", TestServerHost.Json(
            """{"username":"bob","password":"bob-password","email":"bob@example.org","role":2}"""));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var bob = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = bob.GetProperty("id").GetInt64();
        Assert.Equal(2, bob.GetProperty("role").GetInt32());
        Assert.Equal("viewer", bob.GetProperty("role_name").GetString());
        Assert.Equal(host.Time.GetUtcNow().ToUnixTimeSeconds(), bob.GetProperty("created_at").GetInt64());
        Assert.Equal(JsonValueKind.Null, bob.GetProperty("allowed_tags").ValueKind);
        Assert.DoesNotContain("password", string.Join(",", bob.EnumerateObject().Select(p => p.Name)).Replace("password_change_locked", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var users = JsonDocument.Parse(await admin.GetStringAsync("/api/auth/users")).RootElement.GetProperty("users");
        Assert.Equal(["admin", "bob"], users.EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        Assert.Equal("bob", JsonDocument.Parse(await admin.GetStringAsync($"/api/auth/users/{id}")).RootElement.GetProperty("username").GetString());
        Assert.Equal("Invalid user ID", Error(await (await admin.GetAsync("/api/auth/users/abc")).Content.ReadAsStringAsync()));
        Assert.Equal("User not found", Error(await (await admin.GetAsync("/api/auth/users/99")).Content.ReadAsStringAsync()));

        // Bob, a viewer, may change his own email but not his role, nor another account.
        using var bobClient = await host.SessionClientAsync("bob", "bob-password");
        using var ownEmail = await bobClient.PutAsync($"/api/auth/users/{id}", TestServerHost.Json("""{"email":"new@example.org"}"""));
        Assert.Equal(HttpStatusCode.OK, ownEmail.StatusCode);
        using var ownRole = await bobClient.PutAsync($"/api/auth/users/{id}", TestServerHost.Json("""{"role":0}"""));
        Assert.Equal(HttpStatusCode.Forbidden, ownRole.StatusCode);
        Assert.Equal("You can only update your own username and email", Error(await ownRole.Content.ReadAsStringAsync()));
        using var other = await bobClient.PutAsync("/api/auth/users/1", TestServerHost.Json("""{"email":"x"}"""));
        Assert.Equal("You can only update your own account", Error(await other.Content.ReadAsStringAsync()));
        using var rename = await admin.PutAsync($"/api/auth/users/{id}", TestServerHost.Json("""{"username":"admin"}"""));
        Assert.Equal(HttpStatusCode.Conflict, rename.StatusCode);

        // Own password change needs the old password and logs the user out everywhere.
        using var noOld = await bobClient.PutAsync($"/api/auth/users/{id}/password", TestServerHost.Json("""{"new_password":"bob-password-2"}"""));
        Assert.Equal("Current password is required", Error(await noOld.Content.ReadAsStringAsync()));
        using var wrongOld = await bobClient.PutAsync($"/api/auth/users/{id}/password",
            TestServerHost.Json("""{"new_password":"bob-password-2","old_password":"nope"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongOld.StatusCode);
        Assert.Equal("Current password is incorrect", Error(await wrongOld.Content.ReadAsStringAsync()));
        using var changed = await bobClient.PutAsync($"/api/auth/users/{id}/password",
            TestServerHost.Json("""{"new_password":"bob-password-2","old_password":"bob-password"}"""));
        Assert.Equal("""{"success":true}""", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await bobClient.GetAsync("/api/streams")).StatusCode);

        // Locked passwords cannot be changed by the user.
        using var lockIt = await admin.PutAsync($"/api/auth/users/{id}/password-lock", TestServerHost.Json("""{"locked":true}"""));
        Assert.True(JsonDocument.Parse(await lockIt.Content.ReadAsStringAsync()).RootElement.GetProperty("password_change_locked").GetBoolean());
        using var badLock = await admin.PutAsync($"/api/auth/users/{id}/password-lock", TestServerHost.Json("""{"locked":"yes"}"""));
        Assert.Equal("Locked field is required and must be a boolean", Error(await badLock.Content.ReadAsStringAsync()));
        using var bob2 = await host.SessionClientAsync("bob", "bob-password-2");
        using var locked = await bob2.PutAsync($"/api/auth/users/{id}/password",
            TestServerHost.Json("""{"new_password":"bob-password-3","old_password":"bob-password-2"}"""));
        Assert.Equal("Password changes are locked for this user", Error(await locked.Content.ReadAsStringAsync()));

        // A viewer cannot make an API key, even for himself.
        using var key = await bob2.PostAsync($"/api/auth/users/{id}/api-key", null);
        Assert.Equal(HttpStatusCode.Forbidden, key.StatusCode);

        using var deleted = await admin.DeleteAsync($"/api/auth/users/{id}");
        Assert.Equal("""{"success":true,"message":"User deleted successfully"}""", await deleted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/auth/users/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_last_admin_stays()
    {
        await using var host = await TestServerHost.StartAsync();
        using var admin = await host.SessionClientAsync();
        using var self = await admin.DeleteAsync("/api/auth/users/1");
        Assert.Equal("Forbidden: You cannot delete yourself", Error(await self.Content.ReadAsStringAsync()));
        using var demote = await admin.PutAsync("/api/auth/users/1", TestServerHost.Json("""{"role":1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, demote.StatusCode);
        Assert.Equal("Cannot remove the last admin user", Error(await demote.Content.ReadAsStringAsync()));

        var second = await host.CreateUserAsync("root2", "root2-password", Role.Admin);
        using var root2 = host.BasicClient("root2", "root2-password");
        await host.Service<UserStore>().UpdateProfileAsync((await host.Service<UserStore>().GetAsync(1))! with { IsActive = false });
        using var last = await root2.DeleteAsync("/api/auth/users/1");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode); // user 1 is inactive: root2 is the last active admin
        Assert.NotEqual(0, second);
    }

    [Fact]
    public async Task First_admin_gets_a_generated_password_printed_once()
    {
        using var folder = new TempFolder();
        var time = new TestClock();
        var db = new Database(folder.File("a.db"));
        await db.MigrateAsync(time);
        var config = new LightNvr.Config.LightNvrConfig { Web = new WebOptions { Password = "" } };
        var users = new UserStore(db, time);
        var hasher = new PasswordHasher(new PasswordHashingOptions { Iterations = 1000 });
        using var console = new StringWriter();
        using var service = new FirstAdminService(ConfigSection<WebOptions>.Fixed(config.Web), users, hasher,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<FirstAdminService>.Instance) { Console = console };
        await service.StartAsync(default);
        await service.Completion; // the hashing runs after StartAsync returns (off the start-up path)
        await service.StartAsync(default); // second start: users exist, nothing printed
        await service.Completion;

        var printed = console.ToString();
        var match = System.Text.RegularExpressions.Regex.Match(printed, "generated password: ([A-Za-z0-9]+)");
        Assert.True(match.Success, printed);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(printed, "generated password"));
        var password = match.Groups[1].Value;
        Assert.Equal(SecretTokens.GeneratedPasswordLength, password.Length);
        Assert.NotEqual("admin", password);
        var admin = await users.GetByUsernameAsync("admin");
        Assert.Equal(Role.Admin, admin!.Role);
        Assert.True(hasher.Verify(password, admin.PasswordHash, admin.Salt, out _));
        Assert.False(hasher.Verify("admin", admin.PasswordHash, admin.Salt, out _));
    }

    [Fact]
    public async Task Upgraded_file_whose_hashes_cannot_be_verified_gets_an_admin_from_the_config()
    {
        using var folder = new TempFolder();
        var path = folder.File("seed.db");
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await c.OpenAsync();
            using var command = c.CreateCommand();
            command.CommandText = LightNvr.Tests.Data.SeedSchema.Sql;
            await command.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var host = await TestServerHost.StartAsync(c => c with
        {
            Database = c.Database with { Path = path },
            Web = c.Web with { Username = "boss", Password = "recovered-pass" }, // the seed file's admin, whose old hash this build cannot check
        });
        using var boss = await host.SessionClientAsync("boss", "recovered-pass");
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/api/auth/users")).StatusCode);
        Assert.Equal(2, (await host.Service<UserStore>().ListAsync()).Count); // no extra user made
    }

    [Fact]
    public async Task Login_right_after_start_waits_for_the_first_admin()
    {
        // Real-strength hashing so the first admin is still being created when the host has started and the login comes.
        await using var host = await TestServerHost.StartAsync(c =>
            c with { Web = c.Web with { Username = "boss", Password = "configured-pass" } }, hashing: new PasswordHashingOptions(), awaitFirstAdmin: false);
        var firstAdmin = host.Service<FirstAdminService>().Completion;
        using var client = host.Client();
        using var login = await client.PostAsync("/api/auth/login", TestServerHost.Json("""{"username":"boss","password":"configured-pass"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(firstAdmin.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Configured_first_admin_can_log_in()
    {
        await using var host = await TestServerHost.StartAsync(c =>
            c with { Web = c.Web with { Username = "boss", Password = "configured-pass" } });
        using var boss = await host.SessionClientAsync("boss", "configured-pass");
        var verify = JsonDocument.Parse(await boss.GetStringAsync("/api/auth/verify")).RootElement;
        Assert.Equal("admin", verify.GetProperty("role").GetString());
        Assert.Equal(0, verify.GetProperty("role_id").GetInt32());
        Assert.True(verify.GetProperty("authenticated").GetBoolean());
    }
}
