using System.Diagnostics;
using System.Net;
using System.Text;
using LightNvr.Interop.Tests.Support;
using LightNvr.Media.Codecs;
using LightNvr.Media.Mp4.Fragmented;
using LightNvr.Testing;

namespace LightNvr.Interop.Tests.Mp4;

/// <summary>
/// Headless Debian chromium plays our fragmented MP4 through Media Source Extensions: the init segment and fragments
/// append without error, frames are decoded and the play head advances. Also records which codec strings this
/// chromium accepts (no HEVC on Linux without hardware decoding; G.711 never).
/// </summary>
public sealed class MseChromiumInteropTests
{
    private const string Page = """
        <html><body><video id=v muted></video><script>
        const report = s => fetch('/result?' + encodeURIComponent(s));
        const type = 'video/mp4; codecs="CODECS"';
        const support = ['avc1.64000c', 'avc3.64000c', 'hvc1.1.6.L60.90', 'mp4a.40.2', 'opus', 'ulaw', 'alaw']
          .map(c => c + '=' + MediaSource.isTypeSupported('video/mp4; codecs="' + c + '"')).join(' ');
        const v = document.getElementById('v');
        v.onerror = () => report('ERROR video ' + v.error.code + ' ' + v.error.message);
        const ms = new MediaSource();
        v.src = URL.createObjectURL(ms);
        ms.addEventListener('sourceopen', async () => {
          const bytes = await (await fetch('/media.mp4')).arrayBuffer();
          const sb = ms.addSourceBuffer(type);
          sb.onerror = () => report('ERROR sourcebuffer');
          sb.onupdateend = () => {
            ms.endOfStream();
            v.play();
            setTimeout(() => report('OK frames=' + v.getVideoPlaybackQuality().totalVideoFrames + ' time='
              + v.currentTime.toFixed(2) + ' end=' + sb.buffered.end(0).toFixed(2) + ' ' + support), 2500);
          };
          sb.appendBuffer(bytes);
        });
        </script></body></html>
        """;

    [Theory]
    [InlineData("-bf 0", "aac")]
    [InlineData("-bf 2", "aac")]
    [InlineData("-bf 0", "opus")]
    public void Chromium_plays_h264_fragments_with_audio_through_mse(string bframes, string audio)
    {
        using var dir = new TempFolder("mp4");
        var source = SourceMedia.Encode(dir, "src.mp4", "-c:v libx264 -g 15 -pix_fmt yuv420p " + bframes, audio);
        var frames = SourceMedia.Frames(source, out var tracks);
        var media = dir.File("media.mp4");
        MuxerInteropTests.MuxToFile(media, tracks, frames, new Fmp4FragmentPolicy());

        var result = Play(dir, media, CodecString.For(tracks));
        Assert.StartsWith("OK", result, StringComparison.Ordinal);
        var fields = result.Split(' ').Select(f => f.Split('=')).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        Assert.True(int.Parse(fields["frames"], System.Globalization.CultureInfo.InvariantCulture) > 10, result);
        Assert.True(double.Parse(fields["time"], System.Globalization.CultureInfo.InvariantCulture) > 1, result);
        Assert.Equal(("true", "true", "true", "false"),
            (fields["avc1.64000c"], fields["mp4a.40.2"], fields["opus"], fields["ulaw"]));
    }

    private static string Play(TempFolder dir, string media, string codecs)
    {
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var result = new TaskCompletionSource<string>();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                var path = ctx.Request.Url!.AbsolutePath;
                var body = path switch
                {
                    "/" => Encoding.UTF8.GetBytes(Page.Replace("CODECS", codecs, StringComparison.Ordinal)),
                    "/media.mp4" => File.ReadAllBytes(media),
                    _ => [],
                };
                if (path == "/result")
                {
                    result.TrySetResult(Uri.UnescapeDataString(ctx.Request.Url.Query.TrimStart('?')));
                }

                ctx.Response.ContentType = path == "/" ? "text/html" : "application/octet-stream";
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });

        var psi = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
            "--user-data-dir=" + dir.File("chromium-profile"), $"http://127.0.0.1:{port}/",
        })
        {
            psi.ArgumentList.Add(a);
        }

        using var chromium = Process.Start(psi)!;
        chromium.StandardOutput.ReadToEndAsync();
        chromium.StandardError.ReadToEndAsync();
        try
        {
            return result.Task.Wait(TimeSpan.FromSeconds(40)) ? result.Task.Result : "TIMEOUT waiting for chromium";
        }
        finally
        {
            chromium.Kill(entireProcessTree: true);
            chromium.WaitForExit(5000);
            listener.Stop();
        }
    }
}
