using LightNvr.Config;
using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// Makes sure someone can log in as admin. When no active admin has a password this build can verify (an empty users
/// table, or a file upgraded from an older LightNVR whose hash format is unknown), the [web] username becomes an admin
/// with the [web] password: created if missing, otherwise its password is replaced (whoever edits the config file
/// already owns the box). With no password configured (or the well-known admin/admin), a strong random password is
/// generated and printed once to the console, never to the log. Registered after the database migration service.
/// The work (a PBKDF2 hash, ~0.4 s on this machine, more on a Pi) runs off the start-up path: the server listens
/// meanwhile, and <see cref="CredentialVerifier"/> waits for <see cref="Completion"/> before checking any password.
/// </summary>
public sealed partial class FirstAdminService(ConfigSection<WebOptions> web, UserStore users, PasswordHasher hasher,
    ILogger<FirstAdminService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Where the generated password goes; the console by default, replaceable for tests.</summary>
    public TextWriter Console { get; set; } = System.Console.Out;

    /// <summary>Done once an admin can log in (completed at once until <see cref="StartAsync"/> runs).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts <see cref="EnsureAdminAsync"/> in the background and returns; see <see cref="Completion"/>.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Completion = Task.Run(async () =>
        {
            try
            {
                await EnsureAdminAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
                throw;
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Creates or repairs the first admin when no admin can log in (the work <see cref="Completion"/> tracks).</summary>
    public async Task EnsureAdminAsync(CancellationToken cancellationToken)
    {
        var all = await users.ListAsync(cancellationToken).ConfigureAwait(false);
        if (all.Any(u => u is { Role: Role.Admin, IsActive: true } && u.PasswordHash.StartsWith(PasswordHasher.Scheme + "$", StringComparison.Ordinal)))
        {
            return;
        }
        var options = web.Current;
        var username = string.IsNullOrWhiteSpace(options.Username) ? "admin" : options.Username.Trim();
        var password = options.Password;
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

    /// <summary>Lets a running <see cref="EnsureAdminAsync"/> finish its row (or stop at its next await).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || !Completion.IsCompletedSuccessfully)
        {
            // cancelled by the stop, or failed and already logged
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(LogLevel.Error, "Could not create the first admin user")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Created the first admin user {Username}")]
    private partial void LogCreated(string username);

    [LoggerMessage(LogLevel.Warning, "No admin could log in (no verifiable password hash): set the password of {Username} from the configuration")]
    private partial void LogReset(string username);
}
