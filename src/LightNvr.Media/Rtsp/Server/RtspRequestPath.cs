using System.Globalization;

namespace LightNvr.Media.Rtsp.Server;

/// <summary>
/// The stream and track a Request-URI names: <c>rtsp://host:port/&lt;stream&gt;[/trackID=N][?query]</c>, the
/// stream name percent-decoded (RFC 3986 §2.1). Our SDP gives each media <c>a=control:trackID=N</c> under a
/// Content-Base ending in <c>/</c>, so SETUP URLs are the stream URL plus that control (RFC 2326 §C.1.1).
/// </summary>
public readonly record struct RtspRequestPath(string StreamName, int? TrackId, string? LastSegment)
{
    /// <summary>Longest stream name accepted from a URL; stream names in the database are far shorter.</summary>
    public const int MaxStreamNameLength = 256;

    private const string TrackPrefix = "trackID=";

    /// <summary>False for a URI without a path (e.g. <c>*</c>) or with an over-long or empty name.</summary>
    public static bool TryParse(string uri, out RtspRequestPath path)
    {
        path = default;
        string raw;
        if (uri.StartsWith('/'))
        {
            raw = uri;
        }
        else if (Uri.TryCreate(uri, UriKind.Absolute, out var absolute) &&
                 (absolute.Scheme is "rtsp" or "rtsps" or "rtspu"))
        {
            raw = absolute.AbsolutePath;
        }
        else
        {
            return false;
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        raw = raw.Trim('/');
        int? trackId = null;
        string? last = null;
        var slash = raw.LastIndexOf('/');
        if (slash >= 0)
        {
            last = raw[(slash + 1)..];
            if (last.StartsWith(TrackPrefix, StringComparison.OrdinalIgnoreCase) &&
                int.TryParse(last.AsSpan(TrackPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                trackId = id;
            }
        }

        string name;
        try
        {
            name = Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            return false;
        }

        if (name.Length == 0 || name.Length > MaxStreamNameLength)
        {
            return false;
        }

        path = new RtspRequestPath(name, trackId, last);
        return true;
    }

    /// <summary>The stream name without the last segment (for a SETUP URL whose last segment is a control).</summary>
    public string ParentName
    {
        get
        {
            var slash = StreamName.LastIndexOf('/');
            return slash < 0 ? StreamName : StreamName[..slash];
        }
    }
}
