namespace LightNvr.Media.Rtp;

/// <summary>
/// Decodes the comma-separated base64 parameter sets of an SDP fmtp: H.264 <c>sprop-parameter-sets</c>
/// (RFC 6184 §8.1) and H.265 <c>sprop-vps</c>/<c>sprop-sps</c>/<c>sprop-pps</c> (RFC 7798 §7.1).
/// Invalid entries are skipped.
/// </summary>
public static class SpropParameterSets
{
    /// <summary>Parameter sets per attribute: a camera sends one or two; H.264 allows 32 SPS ids, so 32 bounds it.</summary>
    public const int MaxEntries = 32;

    /// <summary>Largest decoded parameter set kept: far above any real SPS/PPS (a few dozen bytes).</summary>
    public const int MaxEntryBytes = 4096;

    public static List<byte[]> Decode(string value)
    {
        var result = new List<byte[]>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (result.Count == MaxEntries)
            {
                break;
            }

            var buffer = new byte[Math.Min(MaxEntryBytes, (part.Length * 3 / 4) + 3)];
            if (Convert.TryFromBase64String(part, buffer, out var written) && written > 0)
            {
                result.Add(buffer[..written]);
            }
        }

        return result;
    }

    /// <summary>Encodes parameter sets as an sprop value (for the RTSP server's SDP).</summary>
    public static string Encode(IEnumerable<byte[]> parameterSets) =>
        string.Join(',', parameterSets.Select(Convert.ToBase64String));
}
