using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// Makes sure someone can log in as admin. When no active admin has a password this build can verify (an empty users
/// table, or a file upgraded from an older LightNVR whose hash format is unknown), the [web] username becomes an admin
/// with the [web] password: created if missing, otherwise its password is replaced (whoever edits the config file
/// already owns the box). With no password configured (or the well-known admin/admin), a strong random password is
/// generated and printed once to the console, never to the log. Registered after the database migration service.
/// </summary>
public sealed partial class FirstAdminService(LightNvrConfig config, UserStore users, PasswordHasher hasher,
    ILogger<FirstAdminService> logger) : IHostedService
{
    /// <summary>Where the generated password goes; the console by default, replaceable for tests.</summary>
    public TextWriter Console { get; set; } = System.Console.Out;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var all = await users.ListAsync(cancellationToken).ConfigureAwait(false);
        if (all.Any(u => u is { Role: Role.Admin, IsActive: true } && u.PasswordHash.StartsWith(PasswordHasher.Scheme + "$", StringComparison.Ordinal)))
        {
            return;
        }
        var username = string.IsNullOrWhiteSpace(config.Web.Username) ? "admin" : config.Web.Username.Trim();
        var password = config.Web.Password;
        var generated = string.IsNullOrEmpty(password) || (username == "admin" && password == "admin");
        if (generated)
        {
            password = SecretTokens.New(SecretTokens.GeneratedPasswordLength);
        }

        var (hash, salt) = hasher.Hash(password);
        if (all.FirstOrDefault(u => u.Username == username) is { } existing)
        {
            await users.UpdateProfileAsync(existing with { Role = Role.Admin, IsActive = true }, cancellationToken).ConfigureAwait(false);
            await users.SetPasswordAsync(existing.Id, hash, salt, cancellationToken).ConfigureAwait(false);
            LogReset(username);
        }
        else
        {
            await users.InsertAsync(new UserRecord { Username = username, PasswordHash = hash, Salt = salt, Role = Role.Admin },
                cancellationToken).ConfigureAwait(false);
            LogCreated(username);
        }
        if (generated)
        {
            await Console.WriteLineAsync(
                $"LightNVR: created the first admin user '{username}' with the generated password: {password}" +
                Environment.NewLine + "LightNVR: this password is shown only once; change it after logging in.").ConfigureAwait(false);
            await Console.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Created the first admin user {Username}")]
    private partial void LogCreated(string username);

    [LoggerMessage(LogLevel.Warning, "No admin could log in (no verifiable password hash): set the password of {Username} from the configuration")]
    private partial void LogReset(string username);
}
