namespace LightNvr.Interop.Tests.Mp4;

/// <summary>
/// Splits an H.264/H.265 Annex-B byte stream (ITU-T H.264 Annex B) into NAL units, as a camera's RTP depacketizer
/// would hand them over: no start codes.
/// </summary>
internal static class AnnexB
{
    public static List<byte[]> SplitNalUnits(byte[] stream)
    {
        var nals = new List<byte[]>();
        var start = -1;
        var i = 0;
        while (i + 3 <= stream.Length)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                if (start >= 0)
                {
                    var end = i;
                    while (end > start && stream[end - 1] == 0)
                    {
                        end--;
                    }

                    nals.Add(stream[start..end]);
                }

                i += 3;
                start = i;
                continue;
            }

            i++;
        }

        if (start >= 0 && start < stream.Length)
        {
            nals.Add(stream[start..]);
        }

        return nals;
    }

    /// <summary>Joins NAL units with 4-byte big-endian length prefixes (the MP4 sample layout of MediaFrame.Data).</summary>
    public static byte[] LengthPrefixed(IEnumerable<byte[]> nals)
    {
        using var ms = new MemoryStream();
        foreach (var n in nals)
        {
            ms.Write([(byte)(n.Length >> 24), (byte)(n.Length >> 16), (byte)(n.Length >> 8), (byte)n.Length]);
            ms.Write(n);
        }

        return ms.ToArray();
    }
}
