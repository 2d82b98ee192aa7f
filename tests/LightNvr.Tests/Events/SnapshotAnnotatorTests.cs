using System.Diagnostics;
using LightNvr.Events;

namespace LightNvr.Tests.Events;

/// <summary>Object event snapshots get their box drawn (real ffmpeg: a gray JPEG in, the JPEG out decoded to check pixels).</summary>
public sealed class SnapshotAnnotatorTests
{
    [Fact]
    public async Task The_box_is_drawn_where_the_event_says_and_nowhere_else()
    {
        var jpeg = Ffmpeg([], "-f", "lavfi", "-i", "color=c=gray:s=320x180", "-frames:v", "1", "-f", "mjpeg", "pipe:1");

        var drawn = await SnapshotAnnotator.DrawAsync("ffmpeg", jpeg, new NormalizedBox(0.25f, 0.25f, 0.5f, 0.5f), "car", 0.87,
            CancellationToken.None);

        Assert.NotNull(drawn);
        var rgb = Ffmpeg(drawn, "-f", "mjpeg", "-i", "pipe:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        Assert.Equal(320 * 180 * 3, rgb.Length);
        (int R, int G, int B) At(int x, int y) => (rgb[((y * 320) + x) * 3], rgb[(((y * 320) + x) * 3) + 1], rgb[(((y * 320) + x) * 3) + 2]);
        var edge = At(81, 90); // the box's left edge: x = 80, 3 px thick
        Assert.True(edge.R > 150 && edge.G < 100 && edge.B < 100, $"edge {edge}");
        foreach (var (x, y) in new[] { (160, 90), (10, 170), (300, 10) })
        {
            var p = At(x, y);
            Assert.True(Math.Abs(p.R - p.G) < 20 && Math.Abs(p.G - p.B) < 20, $"({x},{y}) {p} is not gray");
        }
    }

    [Fact]
    public void The_label_cannot_break_out_of_the_filter()
    {
        var filter = SnapshotAnnotator.Filter(new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f), "x':y,drawtext=evil", 0.5);

        Assert.Contains("text='xydrawtextevil 50%'", filter, StringComparison.Ordinal);
        Assert.StartsWith("drawbox=x=iw*0.1:y=ih*0.2:w=iw*0.3:h=ih*0.4:", filter, StringComparison.Ordinal);
    }

    private static byte[] Ffmpeg(byte[] input, params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = new MemoryStream();
        var reading = p.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = p.StandardError.ReadToEndAsync();
        p.StandardInput.BaseStream.Write(input);
        p.StandardInput.Close();
        reading.Wait();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, errors.Result);
        return output.ToArray();
    }
}
