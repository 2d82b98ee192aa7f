using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using LightNvr.Media;
using LightNvr.Media.Codecs;

namespace LightNvr.Detection;

/// <summary>
/// One long-lived ffmpeg child per detecting stream (D9): the stream's H.264/H.265 access units go in on stdin as
/// Annex-B (parameter sets before each keyframe, so no RTSP session or credentials are needed), small gray frames come
/// out on stdout at the detection rate (<c>-vf fps=N,scale=W:H,format=gray -f rawvideo</c>), each exactly
/// <see cref="FrameBytes"/> long. Timestamps are ffmpeg's arrival clock (<c>-use_wallclock_as_timestamps</c>): the
/// hub delivers live, so the fps filter picks frames in real time whatever the camera's own rate. A crash of this
/// process costs detection only: recording and live view read the hub, not this pipe.
/// </summary>
public sealed class FfmpegGrayDecoder : IAsyncDisposable
{
    /// <summary>Bytes of ffmpeg's error output kept for the health answer and the log.</summary>
    public const int MaxErrorBytes = 2048;

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Stream _stdout;
    private readonly Task _stderr;
    private readonly Lock _errorLock = new();
    private string _errors = "";
    private bool _disposed;

    private FfmpegGrayDecoder(Process process, int width, int height)
    {
        _process = process;
        Width = width;
        Height = height;
        _stdin = process.StandardInput.BaseStream;
        _stdout = process.StandardOutput.BaseStream;
        _stderr = Task.Run(ReadErrorsAsync);
    }

    public int Width { get; }

    public int Height { get; }

    public int FrameBytes => Width * Height;

    public int ProcessId => _process.Id;

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The end of what ffmpeg wrote to stderr (its reason when it fails).</summary>
    public string Errors
    {
        get
        {
            lock (_errorLock)
            {
                return _errors;
            }
        }
    }

    /// <summary>The arguments for a decoder of <paramref name="codec"/> writing <paramref name="width"/>×<paramref name="height"/> gray at <paramref name="fps"/>.</summary>
    public static IReadOnlyList<string> Arguments(MediaCodec codec, int width, int height, double fps, bool skipLoopFilter,
        RgbOutput? rgb = null)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-loglevel", "error", "-threads", "1",
            "-probesize", "32", "-analyzeduration", "0", "-fflags", "nobuffer", "-flags", "low_delay",
        };
        if (skipLoopFilter)
        {
            args.AddRange(["-skip_loop_filter", "all"]);
        }
        args.AddRange(["-use_wallclock_as_timestamps", "1", "-f", codec == MediaCodec.H265 ? "hevc" : "h264", "-i", "pipe:0"]);
        var gray = string.Create(CultureInfo.InvariantCulture, $"fps={fps},scale={width}:{height}:flags=area,format=gray");
        if (rgb is null)
        {
            args.AddRange(["-vf", gray, "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]);
            return args;
        }
        // One decode, two outputs: gray for motion on stdout, RGB at the object rate on the Unix socket.
        var objects = string.Create(CultureInfo.InvariantCulture,
            $"fps=1/{rgb.IntervalSeconds},scale={rgb.Width}:{rgb.Height}:flags=area,format=rgb24");
        args.AddRange([
            "-filter_complex", $"[0:v]split=2[m][o];[m]{gray}[g];[o]{objects}[c]",
            "-map", "[g]", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1",
            "-map", "[c]", "-f", "rawvideo", "-pix_fmt", "rgb24", "unix:" + rgb.SocketPath,
        ]);
        return args;
    }

    public static FfmpegGrayDecoder Start(string ffmpeg, MediaCodec codec, int width, int height, double fps, bool skipLoopFilter,
        RgbOutput? rgb = null)
    {
        var psi = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in Arguments(codec, width, height, fps, skipLoopFilter, rgb))
        {
            psi.ArgumentList.Add(arg);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ffmpeg");
        return new FfmpegGrayDecoder(process, width, height);
    }

    /// <summary>Writes one access unit as Annex-B; before a keyframe, the track's parameter sets.</summary>
    public ValueTask WriteAsync(MediaFrame frame, CancellationToken cancellationToken) => WriteAsync([frame], cancellationToken);

    /// <summary>
    /// Writes access units as Annex-B (before a keyframe, the track's parameter sets) in one write to ffmpeg's stdin:
    /// a burst from a paced camera costs one system call, not one per frame.
    /// </summary>
    public async ValueTask WriteAsync(IReadOnlyList<MediaFrame> frames, CancellationToken cancellationToken)
    {
        var size = 0;
        foreach (var frame in frames)
        {
            size += AnnexBSize(frame);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var written = 0;
            foreach (var frame in frames)
            {
                written += WriteAnnexB(frame, buffer.AsSpan(written));
            }
            await _stdin.WriteAsync(buffer.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
            await _stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Bytes <see cref="WriteAnnexB"/> writes: the unit (start codes replace its 4-byte lengths) and, before a keyframe, the parameter sets.</summary>
    private static int AnnexBSize(MediaFrame frame)
    {
        var track = frame.Track;
        var size = frame.Data.Length;
        if (frame.IsKeyFrame)
        {
            size += 12 + (track.Vps?.Length ?? 0) + (track.Sps?.Length ?? 0) + (track.Pps?.Length ?? 0);
        }
        return size;
    }

    private static int WriteAnnexB(MediaFrame frame, Span<byte> buffer)
    {
        var track = frame.Track;
        var written = 0;
        if (frame.IsKeyFrame)
        {
            foreach (var set in new[] { track.Vps, track.Sps, track.Pps })
            {
                if (set is { Length: > 0 })
                {
                    buffer[written++] = 0;
                    buffer[written++] = 0;
                    buffer[written++] = 0;
                    buffer[written++] = 1;
                    set.CopyTo(buffer[written..]);
                    written += set.Length;
                }
            }
        }
        return written + Avcc.ToAnnexB(frame.Data.Span, buffer[written..]);
    }

    /// <summary>Fills <paramref name="frame"/> (<see cref="FrameBytes"/> long) with the next picture; false when ffmpeg ended.</summary>
    public async ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < FrameBytes)
        {
            var n = await _stdout.ReadAsync(frame[filled..FrameBytes], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }
            filled += n;
        }
        return true;
    }

    /// <summary>ffmpeg's exit code once it has ended, else null (also after disposal).</summary>
    public int? ExitCode => !_disposed && _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits up to <paramref name="timeout"/> for ffmpeg to end by itself; true when it has.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it would not die in time: the handle is released below either way.
        }
        try
        {
            await _stderr.ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        _process.Dispose();
    }

    private async Task ReadErrorsAsync()
    {
        var reader = _process.StandardError;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_errorLock)
            {
                var all = _errors.Length == 0 ? line : _errors + "\n" + line;
                _errors = all.Length > MaxErrorBytes ? all[^MaxErrorBytes..] : all;
            }
        }
    }
}
