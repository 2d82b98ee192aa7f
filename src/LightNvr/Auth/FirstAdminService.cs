using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// On an empty users table, creates the first admin from [web] username/password. With no password configured (or the
/// well-known admin/admin), a strong random password is generated and printed once to the console, never to the log.
/// Registered after the database migration service, so the schema exists when this runs.
/// </summary>
public sealed partial class FirstAdminService(LightNvrConfig config, UserStore users, PasswordHasher hasher,
    ILogger<FirstAdminService> logger) : IHostedService
{
    /// <summary>Where the generated password goes; the console by default, replaceable for tests.</summary>
    public TextWriter Console { get; set; } = System.Console.Out;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.CountAsync(cancellationToken).ConfigureAwait(false) > 0)
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
        await users.InsertAsync(new UserRecord { Username = username, PasswordHash = hash, Salt = salt, Role = Role.Admin },
            cancellationToken).ConfigureAwait(false);
        LogCreated(username);
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
}
