using LightNvr.Data;

namespace LightNvr.Integrations.Webhooks;

/// <summary>What a saved hook must be (docs/webhooks.md, "Limits"); each problem is a sentence for the 400.</summary>
public static class WebhookRules
{
    /// <summary>Hooks at most: each is a sender slot's worth of work per event; a home or a shop needs a handful.</summary>
    public const int MaxHooks = 32;

    /// <summary>A URL longer than this is refused (the common limit of browsers and proxies, 2,048).</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Shortest secret: 16 characters, 128 bits as hex; a short secret would make the signature guessable.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Longest secret: longer than HMAC-SHA256's 64-byte block buys nothing; 256 leaves room for any encoding.</summary>
    public const int MaxSecretLength = 256;

    public const int MaxNameLength = 64;

    /// <summary>Streams one hook may name (upstream's <c>max_streams</c> ceiling is far below this).</summary>
    public const int MaxStreams = 64;

    public const int MaxStreamNameLength = 64;

    /// <summary>Why <paramref name="hook"/> cannot be saved, or null.</summary>
    public static string? Problem(WebhookRecord hook, WebhookTargets targets)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(targets);
        if (hook.Name.Length > MaxNameLength)
        {
            return $"'name' must be at most {MaxNameLength} characters";
        }
        if (UrlProblem(hook.Url, targets) is { } url)
        {
            return url;
        }
        if (hook.EventKinds.Count == 0)
        {
            return "'events' must name at least one of start, update, end";
        }
        if (hook.EventKinds.FirstOrDefault(k => !WebhookPayload.KindNames.Contains(k, StringComparer.Ordinal)) is { } kind)
        {
            return $"'events': unknown kind '{kind}' (start, update or end)";
        }
        if (hook.EventKinds.Distinct(StringComparer.Ordinal).Count() != hook.EventKinds.Count)
        {
            return "'events' names a kind twice";
        }
        if (hook.Streams.Count > MaxStreams)
        {
            return $"'streams' may name at most {MaxStreams} streams";
        }
        if (hook.Streams.FirstOrDefault(s => s.Length is 0 or > MaxStreamNameLength || s.Contains(',', StringComparison.Ordinal)
            || s.Trim() != s) is { } stream)
        {
            return $"'streams': '{stream}' is not a stream name (1–{MaxStreamNameLength} characters, no commas or edge spaces)";
        }
        if (hook.Secret.Length is < MinSecretLength or > MaxSecretLength)
        {
            return $"'secret' must be {MinSecretLength}–{MaxSecretLength} characters";
        }
        return null;
    }

    private static string? UrlProblem(string text, WebhookTargets targets)
    {
        if (text.Length is 0 or > MaxUrlLength)
        {
            return $"'url' is required (at most {MaxUrlLength} characters)";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.IdnHost.Length == 0)
        {
            return "'url' must be an absolute http:// or https:// URL";
        }
        if (url.UserInfo.Length > 0)
        {
            return "'url' must not contain user:password@ (the signature authenticates the NVR; put a token in the path if the receiver needs one)";
        }
        return targets.Problem(url) is { } own ? $"'url': {own}" : null;
    }
}
