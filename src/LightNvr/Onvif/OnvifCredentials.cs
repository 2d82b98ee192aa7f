namespace LightNvr.Onvif;

/// <summary>A camera's ONVIF user and password. <see cref="ToString"/> never shows the password (logs).</summary>
public sealed record OnvifCredentials(string Username, string Password)
{
    /// <summary>Null when there is no user name: the call goes out without a token (discovery-time calls, open cameras).</summary>
    public static OnvifCredentials? From(string? username, string? password) =>
        string.IsNullOrEmpty(username) ? null : new OnvifCredentials(username, password ?? "");

    public override string ToString() => $"OnvifCredentials {{ Username = {Username} }}";
}
