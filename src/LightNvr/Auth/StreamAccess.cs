using LightNvr.Data;

namespace LightNvr.Auth;

/// <summary>
/// The one stream access check (upstream's <c>allowed_tags</c>): a caller without a tag restriction may access every
/// stream; a restricted caller only streams that exist in the database and share one of its tags. Every route that
/// names a stream comes here, through <see cref="StreamAccessMiddleware"/> (route and query names) or from its
/// handler (streams found from a recording id or an HLS session). Ad-hoc go2rtc sources have no tags, so a restricted
/// caller never reaches them.
/// </summary>
public sealed class StreamAccess(StreamStore streams)
{
    public const string Denied = "Stream access denied";

    /// <summary>Suffix of a sub-stream's live name (<c>Cameras.CameraService.SubStreamSuffix</c>; Auth sits below Cameras).</summary>
    public const string SubStreamSuffix = "_sub";

    /// <summary>True when <paramref name="caller"/> may see and use <paramref name="stream"/>.</summary>
    public async Task<bool> MayAccessAsync(Caller? caller, string stream, CancellationToken ct)
    {
        if (caller?.AllowedTags is null)
        {
            return true;
        }
        var config = await streams.GetAsync(stream, ct).ConfigureAwait(false);
        if (config is null && stream.EndsWith(SubStreamSuffix, StringComparison.Ordinal))
        {
            // NAME_sub, a camera's sub-stream (live tiles): the same check as for NAME.
            config = await streams.GetAsync(stream[..^SubStreamSuffix.Length], ct).ConfigureAwait(false);
        }
        return config is not null && caller.MayAccessStream(config.Tags);
    }

    /// <summary>The caller of <paramref name="context"/> may access <paramref name="stream"/>.</summary>
    public Task<bool> MayAccessAsync(HttpContext context, string stream) =>
        MayAccessAsync(Caller.From(context.User), stream, context.RequestAborted);

    /// <summary>The names of every stream the caller may access, or null when it is not restricted (every stream).</summary>
    public async Task<HashSet<string>?> AllowedAsync(Caller? caller, CancellationToken ct)
    {
        if (caller?.AllowedTags is null)
        {
            return null;
        }
        return (await streams.ListAsync(ct).ConfigureAwait(false))
            .Where(s => caller.MayAccessStream(s.Tags)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
    }
}
