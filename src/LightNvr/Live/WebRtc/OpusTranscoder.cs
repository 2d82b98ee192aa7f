using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LightNvr.Cameras;
using LightNvr.Media;
using LightNvr.Media.Codecs.Aac;
using LightNvr.Media.Rtp;
using LightNvr.Media.Streaming;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// AAC → Opus for one stream's WebRTC viewers (browsers play no AAC over WebRTC): the Debian ffmpeg as a child
/// process (D2: ffmpeg only where samples are decoded), fed the camera's AAC access units from the hub as ADTS on
/// stdin, writing Opus RTP (RFC 7587, 20 ms frames) to a loopback UDP socket of ours; each packet goes to every
/// viewer's <see cref="OpusFeed"/>. Audio older than <see cref="MaxInputAge"/> (the hub's cached GOP) is skipped, so
/// viewers hear the live edge. When ffmpeg exits on its own it is started again after <see cref="RestartDelay"/>.
/// </summary>
public sealed partial class OpusTranscoder : IAsyncDisposable
{
    /// <summary>AAC frames older than this are not transcoded: the cached GOP's audio would only add delay.</summary>
    public static readonly TimeSpan MaxInputAge = TimeSpan.FromMilliseconds(300);

    /// <summary>Wait before restarting an ffmpeg that exited: a broken input must not spin a process loop.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);

    /// <summary>Opus bit rate: 32 kbit/s is transparent for a camera's mono speech/ambient audio (RFC 7587 §3.1.1 range 6–510).</summary>
    public const int BitrateKbps = 32;

    /// <summary>Largest datagram read from ffmpeg: its RTP muxer is told pkt_size 1200.</summary>
    private const int MaxDatagram = 1500;

    /// <summary>A viewer queue for the hub: AAC at 48 kHz is ~47 frames/s plus the video frames skipped here.</summary>
    private const int HubQueueCapacity = 400;

    private readonly CameraStream _stream;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts = new();
    private readonly Lock _feedsLock = new();
    private OpusFeed[] _feeds = [];
    private Task? _run;
    private volatile int _processId;
    private long _packets;
    private long _inputFrames;

    public OpusTranscoder(CameraStream stream, TimeProvider time, ILogger logger)
    {
        _stream = stream;
        _time = time;
        _logger = logger;
    }

    public string StreamName => _stream.Name;

    /// <summary>The running ffmpeg's process id, 0 between runs.</summary>
    public int ProcessId => _processId;

    /// <summary>Opus packets received from ffmpeg so far.</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>AAC frames written to ffmpeg so far.</summary>
    public long InputFrames => Interlocked.Read(ref _inputFrames);

    public int FeedCount => Volatile.Read(ref _feeds).Length;

    internal void Start() => _run = Task.Run(() => RunAsync(_cts.Token));

    internal void Add(OpusFeed feed)
    {
        lock (_feedsLock)
        {
            _feeds = [.. _feeds, feed];
        }
    }

    /// <summary>Removes a feed; true when none is left.</summary>
    internal bool Remove(OpusFeed feed)
    {
        lock (_feedsLock)
        {
            _feeds = _feeds.Where(f => f != feed).ToArray();
            return _feeds.Length == 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var feed in Volatile.Read(ref _feeds))
        {
            feed.Complete();
        }

        _cts.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException or
                                          System.ComponentModel.Win32Exception or ObjectDisposedException)
            {
                LogFailed(_stream.Name, e.Message);
            }

            try
            {
                await Task.Delay(RestartDelay, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var psi = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in Arguments(port))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ffmpeg");
        _processId = process.Id;
        LogStarted(_stream.Name, process.Id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stderr = ReadErrorsAsync(process.StandardError);
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, stop.Token);
        var receive = ReceiveAsync(socket, stop.Token);
        var feed = FeedAsync(process.StandardInput.BaseStream, stop.Token);
        try
        {
            await Task.WhenAny(process.WaitForExitAsync(ct), feed).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (!process.HasExited)
            {
                await feed.ConfigureAwait(false); // the hub ended (stream removed): surface why
            }

            LogExited(_stream.Name, process.HasExited ? process.ExitCode : -1, await stderr.ConfigureAwait(false));
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            _processId = 0;
            socket.Dispose();
            await receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await feed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// ffmpeg reads ADTS from stdin without probing ahead (the first packet goes out after one AAC frame) and writes
    /// Opus RTP, one 20 ms frame per packet, low-delay mode, to our loopback port.
    /// </summary>
    private static string[] Arguments(int port) =>
    [
        "-hide_banner", "-nostdin", "-loglevel", "error", "-fflags", "+nobuffer", "-probesize", "32",
        "-analyzeduration", "0", "-f", "aac", "-i", "pipe:0", "-vn", "-c:a", "libopus",
        "-b:a", string.Create(CultureInfo.InvariantCulture, $"{BitrateKbps}k"), "-ar", "48000",
        "-application", "lowdelay", "-frame_duration", "20", "-flush_packets", "1", "-f", "rtp",
        string.Create(CultureInfo.InvariantCulture, $"rtp://127.0.0.1:{port}?pkt_size=1200"),
    ];

    /// <summary>Hub AAC frames → ADTS → ffmpeg's stdin; video and other audio codecs are skipped.</summary>
    private async Task FeedAsync(Stream stdin, CancellationToken ct)
    {
        using var subscription = _stream.Hub.Subscribe("webrtc-opus", "ffmpeg", HubQueueCapacity);
        var buffer = new byte[AdtsHeader.MaxFrameLength];
        try
        {
            await foreach (var frame in subscription.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (frame.Track.Codec != MediaCodec.Aac || frame.Track.AudioSpecificConfig is not { } asc ||
                    frame.WallClockUnixMs < _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)MaxInputAge.TotalMilliseconds ||
                    !AudioSpecificConfig.TryParse(asc, out var config) ||
                    !AdtsHeader.TryWrite(config, frame.Data.Length, buffer))
                {
                    continue;
                }

                frame.Data.Span.CopyTo(buffer.AsSpan(AdtsHeader.Length));
                await stdin.WriteAsync(buffer.AsMemory(0, AdtsHeader.Length + frame.Data.Length), ct).ConfigureAwait(false);
                await stdin.FlushAsync(ct).ConfigureAwait(false);
                Interlocked.Increment(ref _inputFrames);
            }
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Opus RTP from ffmpeg (loopback only) → every viewer's feed, timestamps unwrapped to 64 bits.</summary>
    private async Task ReceiveAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        var unwrapper = new RtpTimestampUnwrapper(48000);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }

            if (!IPAddress.IsLoopback(((IPEndPoint)result.RemoteEndPoint).Address) ||
                ToPacket(buffer.AsSpan(0, result.ReceivedBytes), unwrapper) is not { } packet)
            {
                continue; // not from ffmpeg, or not Opus RTP
            }

            Interlocked.Increment(ref _packets);
            foreach (var feed in Volatile.Read(ref _feeds))
            {
                feed.Offer(packet);
            }
        }
    }

    /// <summary>An RTP packet with a payload (ffmpeg's RTCP, PT 200–204, reads as PT 72–76 with the marker set: skipped).</summary>
    private static OpusPacket? ToPacket(ReadOnlySpan<byte> datagram, RtpTimestampUnwrapper unwrapper) =>
        RtpPacket.TryParse(datagram, out var rtp) && !rtp.Payload.IsEmpty && rtp.PayloadType is not (>= 72 and <= 76)
            ? new OpusPacket(rtp.Payload.ToArray(), unwrapper.Unwrap(rtp.Timestamp))
            : null;

    private static async Task<string> ReadErrorsAsync(StreamReader stderr)
    {
        var last = "";
        while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                last = line.Length > 300 ? line[..300] : line;
            }
        }

        return last;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC audio of {Stream}: AAC → Opus ffmpeg started (pid {Pid})")]
    private partial void LogStarted(string stream, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebRTC audio of {Stream}: ffmpeg exited ({Code}): {Error}")]
    private partial void LogExited(string stream, int code, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebRTC audio of {Stream}: transcoder failed: {Reason}")]
    private partial void LogFailed(string stream, string reason);
}
