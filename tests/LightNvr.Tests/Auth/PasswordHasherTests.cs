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

    // Known answer from an independent implementation (Python's hashlib.pbkdf2_hmac('sha256', b'upstream-pass',
    // bytes(range(16)), 10000, 32)), stored the way upstream's db_auth.c stores it: lowercase hex, no scheme.
    private const string UpstreamSalt = "000102030405060708090a0b0c0d0e0f";
    private const string UpstreamHash = "262ce89df5a957eabadc92dbf281b25c048779889c70d8f0526bffe91690c8b1";

    [Fact]
    public void An_upstream_hex_hash_verifies_and_asks_for_a_rehash()
    {
        var hasher = new PasswordHasher(new PasswordHashingOptions { Iterations = 10 });
        Assert.True(hasher.Verify("upstream-pass", UpstreamHash, UpstreamSalt, out var rehash));
        Assert.True(rehash);
        Assert.False(hasher.Verify("upstream-pasS", UpstreamHash, UpstreamSalt, out rehash));
        Assert.False(rehash);
        Assert.False(hasher.Verify("upstream-pass", UpstreamHash[..^2], UpstreamSalt, out _)); // not upstream's shape
    }

    [Fact]
    public async Task An_upstream_user_logs_in_with_the_old_password_and_is_rehashed()
    {
        await using var host = await TestServerHost.StartAsync(hashing: new PasswordHashingOptions());
        var users = host.Service<UserStore>();
        var id = await users.InsertAsync(new UserRecord { Username = "carried", PasswordHash = UpstreamHash, Salt = UpstreamSalt });

        using var client = host.Client();
        using var response = await client.PostAsync("/api/auth/login",
            TestServerHost.Json("""{"username":"carried","password":"upstream-pass"}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var after = await users.GetAsync(id!.Value);
        Assert.StartsWith("pbkdf2-sha256$600000$", after!.PasswordHash, StringComparison.Ordinal);
    }
}
