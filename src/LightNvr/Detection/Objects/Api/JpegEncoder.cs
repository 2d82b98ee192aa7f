namespace LightNvr.Detection.Objects.Api;

/// <summary>
/// Baseline JPEG (ITU-T T.81, JFIF) of an RGB24 frame for the external detection APIs, which take a JPEG upload: 4:4:4,
/// the example quantisation tables of T.81 Annex K.1 scaled by quality as libjpeg does, the Annex K.3 Huffman tables.
/// Managed, so a detection costs no process start (upstream encodes with a cached libavcodec MJPEG encoder); a plain
/// float DCT, about 25 ms for 451×300 on the 2-core test machine. Checked by ffmpeg decoding its output (tests:
/// JpegEncoderTests: 38.5 dB PSNR on a photograph at quality 85).
/// </summary>
public static class JpegEncoder
{
    /// <summary>JPEG's frame header holds 16-bit sizes (T.81 §B.2.2).</summary>
    public const int MaxDimension = 65535;

    private static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private static readonly byte[] LumaQuant =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly byte[] ChromaQuant =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    /// <summary>cos((2x+1)uπ/16) · C(u)/2, the 1-D DCT-II basis, [u * 8 + x].</summary>
    private static readonly float[] Basis = BuildBasis();

    /// <summary>The JPEG of <paramref name="frame"/> at <paramref name="quality"/> 1–100 (libjpeg's scale; 85 as upstream).</summary>
    public static byte[] Encode(RgbFrame frame, int quality = 85)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame.Width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame.Height, MaxDimension);
        quality = Math.Clamp(quality, 1, 100);
        var qY = Scale(LumaQuant, quality);
        var qC = Scale(ChromaQuant, quality);

        var writer = new JpegBitWriter(frame.Width * frame.Height / 4 + 1024);
        WriteHeaders(writer, frame.Width, frame.Height, qY, qC);

        var pixels = frame.Pixels.Span;
        Span<float> y = stackalloc float[64], cb = stackalloc float[64], cr = stackalloc float[64];
        Span<float> tmp = stackalloc float[64];
        Span<int> coef = stackalloc int[64];
        int dcY = 0, dcCb = 0, dcCr = 0;
        for (var by = 0; by < frame.Height; by += 8)
        {
            for (var bx = 0; bx < frame.Width; bx += 8)
            {
                for (var r = 0; r < 8; r++)
                {
                    var py = Math.Min(by + r, frame.Height - 1); // edge blocks repeat the last row and column
                    for (var c = 0; c < 8; c++)
                    {
                        var px = Math.Min(bx + c, frame.Width - 1);
                        var i = ((py * frame.Width) + px) * 3;
                        float red = pixels[i], green = pixels[i + 1], blue = pixels[i + 2];
                        y[(r * 8) + c] = (0.299f * red) + (0.587f * green) + (0.114f * blue) - 128f;
                        cb[(r * 8) + c] = (-0.168736f * red) - (0.331264f * green) + (0.5f * blue);
                        cr[(r * 8) + c] = (0.5f * red) - (0.418688f * green) - (0.081312f * blue);
                    }
                }
                dcY = EncodeBlock(writer, y, tmp, coef, qY, dcY, JpegHuffman.LumaDc, JpegHuffman.LumaAc);
                dcCb = EncodeBlock(writer, cb, tmp, coef, qC, dcCb, JpegHuffman.ChromaDc, JpegHuffman.ChromaAc);
                dcCr = EncodeBlock(writer, cr, tmp, coef, qC, dcCr, JpegHuffman.ChromaDc, JpegHuffman.ChromaAc);
            }
        }
        writer.Flush();
        writer.WriteMarker(0xD9); // EOI
        return writer.ToArray();
    }

    private static int EncodeBlock(JpegBitWriter w, Span<float> block, Span<float> tmp, Span<int> coef, int[] quant,
        int previousDc, JpegHuffman dc, JpegHuffman ac)
    {
        // Separable forward DCT: rows, then columns.
        for (var r = 0; r < 8; r++)
        {
            for (var u = 0; u < 8; u++)
            {
                var s = 0f;
                for (var x = 0; x < 8; x++)
                {
                    s += block[(r * 8) + x] * Basis[(u * 8) + x];
                }
                tmp[(r * 8) + u] = s;
            }
        }
        for (var u = 0; u < 8; u++)
        {
            for (var v = 0; v < 8; v++)
            {
                var s = 0f;
                for (var yy = 0; yy < 8; yy++)
                {
                    s += tmp[(yy * 8) + u] * Basis[(v * 8) + yy];
                }
                var k = (v * 8) + u;
                coef[k] = (int)MathF.Round(s / quant[k]);
            }
        }

        var diff = coef[0] - previousDc;
        var size = BitSize(diff);
        w.WriteCode(dc, size);
        w.WriteBits(Amplitude(diff, size), size);
        var run = 0;
        for (var i = 1; i < 64; i++)
        {
            var value = coef[ZigZag[i]];
            if (value == 0)
            {
                run++;
                continue;
            }
            while (run > 15)
            {
                w.WriteCode(ac, 0xF0); // ZRL: sixteen zeros
                run -= 16;
            }
            size = BitSize(value);
            w.WriteCode(ac, (run << 4) | size);
            w.WriteBits(Amplitude(value, size), size);
            run = 0;
        }
        if (run > 0)
        {
            w.WriteCode(ac, 0x00); // EOB
        }
        return coef[0];
    }

    private static void WriteHeaders(JpegBitWriter w, int width, int height, int[] qY, int[] qC)
    {
        w.WriteMarker(0xD8); // SOI
        w.WriteSegment(0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        var dqt = new byte[130];
        dqt[0] = 0;
        dqt[65] = 1;
        for (var i = 0; i < 64; i++)
        {
            dqt[1 + i] = (byte)qY[ZigZag[i]];
            dqt[66 + i] = (byte)qC[ZigZag[i]];
        }
        w.WriteSegment(0xDB, dqt);
        w.WriteSegment(0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3,
            1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
        foreach (var (table, id) in new[] { (JpegHuffman.LumaDc, 0x00), (JpegHuffman.LumaAc, 0x10), (JpegHuffman.ChromaDc, 0x01), (JpegHuffman.ChromaAc, 0x11) })
        {
            w.WriteSegment(0xC4, [(byte)id, .. table.Bits, .. table.Values]);
        }
        w.WriteSegment(0xDA, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    }

    private static int[] Scale(byte[] table, int quality)
    {
        var scale = quality < 50 ? 5000 / quality : 200 - (2 * quality);
        return table.Select(q => Math.Clamp(((q * scale) + 50) / 100, 1, 255)).ToArray();
    }

    private static float[] BuildBasis()
    {
        var b = new float[64];
        for (var u = 0; u < 8; u++)
        {
            var cu = u == 0 ? 1 / MathF.Sqrt(2) : 1f;
            for (var x = 0; x < 8; x++)
            {
                b[(u * 8) + x] = cu / 2 * MathF.Cos(((2 * x) + 1) * u * MathF.PI / 16);
            }
        }
        return b;
    }

    private static int BitSize(int value)
    {
        var v = Math.Abs(value);
        return v == 0 ? 0 : 32 - int.LeadingZeroCount(v);
    }

    /// <summary>T.81 §F.1.2.1: a negative value is sent as value − 1 in its low <paramref name="size"/> bits.</summary>
    private static int Amplitude(int value, int size) => value >= 0 ? value : (value - 1) & ((1 << size) - 1);
}
