namespace LightNvr.Detection.Objects.Api;

/// <summary>
/// Baseline JPEG (ITU-T T.81, JFIF) of an RGB24 frame for the external detection APIs, which take a JPEG upload: 4:4:4,
/// the example quantisation tables of T.81 Annex K.1 scaled by quality as libjpeg does, the Annex K.3 Huffman tables.
/// Managed, so a detection costs no process start (upstream encodes with a cached libavcodec MJPEG encoder); the float
/// AAN DCT, about 13 ms of CPU for a 640×360 photograph on the 2-core test machine. Checked by ffmpeg decoding its
/// output (JpegEncoderTests: 38.5 dB PSNR on a photograph at quality 85).
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

    /// <summary>The AAN DCT's output scale per frequency: 1 for 0, cos(kπ/16)·√2 otherwise (Arai, Agui, Nakajima 1988).</summary>
    private static readonly float[] AanScale =
        [1f, 1.387039845f, 1.306562965f, 1.175875602f, 1f, 0.785694958f, 0.541196100f, 0.275899379f];

    /// <summary>The JPEG of <paramref name="frame"/> at <paramref name="quality"/> 1–100 (libjpeg's scale; 85 as upstream).</summary>
    public static byte[] Encode(RgbFrame frame, int quality = 85)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame.Width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame.Height, MaxDimension);
        quality = Math.Clamp(quality, 1, 100);
        var qY = Scale(LumaQuant, quality);
        var qC = Scale(ChromaQuant, quality);
        var divY = Divisors(qY);
        var divC = Divisors(qC);

        var writer = new JpegBitWriter(frame.Width * frame.Height / 4 + 1024);
        WriteHeaders(writer, frame.Width, frame.Height, qY, qC);

        var pixels = frame.Pixels.Span;
        Span<float> y = stackalloc float[64], cb = stackalloc float[64], cr = stackalloc float[64];
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
                dcY = EncodeBlock(writer, y, coef, divY, dcY, JpegHuffman.LumaDc, JpegHuffman.LumaAc);
                dcCb = EncodeBlock(writer, cb, coef, divC, dcCb, JpegHuffman.ChromaDc, JpegHuffman.ChromaAc);
                dcCr = EncodeBlock(writer, cr, coef, divC, dcCr, JpegHuffman.ChromaDc, JpegHuffman.ChromaAc);
            }
        }
        writer.Flush();
        writer.WriteMarker(0xD9); // EOI
        return writer.ToArray();
    }

    private static int EncodeBlock(JpegBitWriter w, Span<float> block, Span<int> coef, float[] divisors,
        int previousDc, JpegHuffman dc, JpegHuffman ac)
    {
        ForwardDct(block);
        for (var k = 0; k < 64; k++)
        {
            coef[k] = (int)MathF.Round(block[k] * divisors[k]);
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

    /// <summary>1 / (quantiser · AAN scale of row and column · 8): one multiply turns the AAN output into the quantised coefficient.</summary>
    private static float[] Divisors(int[] quant)
    {
        var d = new float[64];
        for (var v = 0; v < 8; v++)
        {
            for (var u = 0; u < 8; u++)
            {
                d[(v * 8) + u] = 1f / (quant[(v * 8) + u] * AanScale[v] * AanScale[u] * 8f);
            }
        }
        return d;
    }

    /// <summary>
    /// In-place 8×8 forward DCT, the float AAN algorithm (libjpeg's jfdctflt.c): 5 multiplies per 8-point pass, the
    /// output scaled per frequency (undone in <see cref="Divisors"/>).
    /// </summary>
    private static void ForwardDct(Span<float> d)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            var stride = pass == 0 ? 1 : 8; // rows, then columns
            for (var line = 0; line < 8; line++)
            {
                var o = pass == 0 ? line * 8 : line;
                float d0 = d[o], d1 = d[o + stride], d2 = d[o + (2 * stride)], d3 = d[o + (3 * stride)];
                float d4 = d[o + (4 * stride)], d5 = d[o + (5 * stride)], d6 = d[o + (6 * stride)], d7 = d[o + (7 * stride)];
                float t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6;
                float t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;

                float t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
                d[o] = t10 + t11;
                d[o + (4 * stride)] = t10 - t11;
                var z1 = (t12 + t13) * 0.707106781f;
                d[o + (2 * stride)] = t13 + z1;
                d[o + (6 * stride)] = t13 - z1;

                t10 = t4 + t5;
                t11 = t5 + t6;
                t12 = t6 + t7;
                var z5 = (t10 - t12) * 0.382683433f;
                var z2 = (0.541196100f * t10) + z5;
                var z4 = (1.306562965f * t12) + z5;
                var z3 = t11 * 0.707106781f;
                float z11 = t7 + z3, z13 = t7 - z3;
                d[o + (5 * stride)] = z13 + z2;
                d[o + (3 * stride)] = z13 - z2;
                d[o + stride] = z11 + z4;
                d[o + (7 * stride)] = z11 - z4;
            }
        }
    }

    private static int BitSize(int value)
    {
        var v = Math.Abs(value);
        return v == 0 ? 0 : 32 - int.LeadingZeroCount(v);
    }

    /// <summary>T.81 §F.1.2.1: a negative value is sent as value − 1 in its low <paramref name="size"/> bits.</summary>
    private static int Amplitude(int value, int size) => value >= 0 ? value : (value - 1) & ((1 << size) - 1);
}
