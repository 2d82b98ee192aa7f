using LightNvr.Auth;
using LightNvr.Data;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Production_default_is_600k_PBKDF2_SHA256()
    {
        Assert.Equal(600_000, new PasswordHashingOptions().Iterations);
        var hasher = new PasswordHasher(new PasswordHashingOptions());
        var (hash, salt) = hasher.Hash("correct horse");
        Assert.StartsWith("pbkdf2-sha256$600000$", hash, StringComparison.Ordinal);
        Assert.Equal(16, Convert.FromBase64String(salt).Length);
        Assert.True(hasher.Verify("correct horse", hash, salt, out var rehash));
        Assert.False(rehash);
        Assert.False(hasher.Verify("wrong horse", hash, salt, out _));
    }

    [Fact]
    public void Salts_differ_per_hash()
    {
        var hasher = new PasswordHasher(new PasswordHashingOptions { Iterations = 10 });
        Assert.NotEqual(hasher.Hash("same"), hasher.Hash("same"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("md5$abc")]
    [InlineData("pbkdf2-sha256$0$AAAA")]
    [InlineData("pbkdf2-sha256$99999999$AAAA")]
    [InlineData("pbkdf2-sha256$10$not base64!")]
    public void Malformed_stored_hash_never_verifies(string stored)
    {
        var hasher = new PasswordHasher(new PasswordHashingOptions { Iterations = 10 });
        Assert.False(hasher.Verify("x", stored, "AAAAAAAAAAAAAAAAAAAAAA==", out _));
    }

    [Fact]
    public async Task Login_with_older_iteration_count_rehashes_to_the_production_default()
    {
        await using var host = await TestServerHost.StartAsync(hashing: new PasswordHashingOptions());
        var old = new PasswordHasher(new PasswordHashingOptions { Iterations = 1000 });
        var (hash, salt) = old.Hash("legacy-pass");
        var users = host.Service<UserStore>();
        var id = await users.InsertAsync(new UserRecord { Username = "legacy", PasswordHash = hash, Salt = salt });

        using var client = host.Client();
        using var response = await client.PostAsync("/api/auth/login",
            TestServerHost.Json("""{"username":"legacy","password":"legacy-pass"}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

        var after = await users.GetAsync(id!.Value);
        Assert.StartsWith("pbkdf2-sha256$600000$", after!.PasswordHash, StringComparison.Ordinal);
        Assert.NotEqual(salt, after.Salt);
        Assert.True(host.Service<PasswordHasher>().Verify("legacy-pass", after.PasswordHash, after.Salt, out var again));
        Assert.False(again);
    }
}
