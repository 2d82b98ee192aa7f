namespace LightNvr.Api.Http;

/// <summary>
/// One HTTP byte range (RFC 9110 §14.1.2) against a body of known length: <c>bytes=a-b</c>, <c>bytes=a-</c>,
/// <c>bytes=-n</c>. Several ranges are answered with the whole body (allowed by §14.2), as upstream does.
/// </summary>
public readonly record struct ByteRange(long From, long Count)
{
    /// <summary>None: no (usable) Range header, send all; Ok: send <paramref name="range"/>; false + null: 416.</summary>
    public static bool? TryParse(string? header, long length, out ByteRange range)
    {
        range = new ByteRange(0, length);
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)
            || header.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }
        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!long.TryParse(last, out var suffix) || suffix <= 0 || length == 0)
            {
                return last.IsEmpty ? null : false;
            }
            var n = Math.Min(suffix, length);
            range = new ByteRange(length - n, n);
            return true;
        }
        if (!long.TryParse(first, out var from) || from < 0)
        {
            return null;
        }
        var to = length - 1;
        if (!last.IsEmpty && (!long.TryParse(last, out to) || to < from))
        {
            return null;
        }
        if (from >= length)
        {
            return false;
        }
        to = Math.Min(to, length - 1);
        range = new ByteRange(from, to - from + 1);
        return true;
    }
}
