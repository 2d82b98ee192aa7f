using LightNvr.Media.Rtsp;

namespace LightNvr.Media.Tests.Rtsp;

/// <summary>
/// <see cref="RtspSource"/> against <see cref="ScriptedRtspServer"/>, a MOCK camera, for the timing and redirect paths
/// a real camera cannot show in a few seconds. Everything else is covered against GStreamer in the interop tests.
/// </summary>
public sealed class RtspSourceScriptedTests
{
    private sealed class NullSink : IMediaSink
    {
        public int Frames;

        public bool AcceptsBatchedDelivery { get; init; }

        /// <summary>Distinct 10 ms slots in which frames arrived: paced delivery comes in few, larger bursts.</summary>
        public HashSet<long> ArrivalSlots { get; } = [];

        public void OnTracks(IReadOnlyList<MediaTrack> tracks)
        {
        }

        /// <summary>Calls of <see cref="OnFrames"/>: one per burst the source delivered.</summary>
        public int Bursts;

        public long LastFrameAt;

        public void OnFrames(ReadOnlySpan<MediaFrame> frames)
        {
            Interlocked.Increment(ref Bursts);
            foreach (var frame in frames)
            {
                OnFrame(frame);
            }
        }

        public void OnFrame(MediaFrame frame)
        {
            Interlocked.Increment(ref Frames);
            Volatile.Write(ref LastFrameAt, Environment.TickCount64);
            lock (ArrivalSlots)
            {
                ArrivalSlots.Add(Environment.TickCount64 / 10);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_sink_that_accepts_batches_is_read_on_the_pacer_tick_and_loses_nothing(bool batches)
    {
        await using var server = new ScriptedRtspServer(); // a G.711 packet every 20 ms
        using var pacer = new LightNvr.Media.Streaming.ReceivePacer(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        var source = new RtspSource(new RtspClientOptions { ReceivePacer = pacer });
        var sink = new NullSink { AcceptsBatchedDelivery = batches };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            source.RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Tcp, sink, cts.Token));

        var counters = source.GetTrackCounters(0);
        Assert.True(sink.Frames > 60, $"{sink.Frames} frames");
        Assert.Equal(0, counters.Lost); // paced reads leave packets in the socket, never drop them
        if (batches)
        {
            Assert.InRange(pacer.Ticks, 4, 14); // about one read per 250 ms tick over ~2.5 s of PLAY
            Assert.True(sink.ArrivalSlots.Count <= pacer.Ticks + 6,
                $"{sink.Frames} frames arrived in {sink.ArrivalSlots.Count} slots over {pacer.Ticks} ticks");
            Assert.True(sink.Bursts <= pacer.Ticks + 6, $"{sink.Bursts} bursts over {pacer.Ticks} ticks"); // one per tick
            Assert.True(sink.Frames >= 5 * sink.Bursts, $"{sink.Frames} frames in {sink.Bursts} bursts");
        }
        else
        {
            Assert.Equal(0, pacer.Ticks); // a live consumer: every packet as it comes
            Assert.True(sink.ArrivalSlots.Count > 40, $"{sink.ArrivalSlots.Count} slots");
        }
    }

    [Fact]
    public async Task A_paced_camera_that_stalls_is_read_again_as_soon_as_it_sends()
    {
        // While paced the socket only signals once a megabyte is queued; a read that finds nothing must lower that
        // again, or a camera that pauses would never be heard from again (until the read timeout).
        await using var server = new ScriptedRtspServer { PauseAfterPackets = 40, PauseFor = TimeSpan.FromSeconds(2.5) };
        using var pacer = new LightNvr.Media.Streaming.ReceivePacer(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        var source = new RtspSource(new RtspClientOptions { ReceivePacer = pacer });
        var sink = new NullSink { AcceptsBatchedDelivery = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        var run = source.RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Tcp, sink, cts.Token);

        while (sink.Frames < 40 && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // inside the pause
        var beforeResume = sink.Frames;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.InRange(beforeResume, 40, 45);
        Assert.True(sink.Frames > beforeResume + 30, $"{sink.Frames - beforeResume} frames after the pause");
        Assert.Equal(0, source.GetTrackCounters(0).Lost);
    }

    [Fact]
    public async Task Keep_alive_uses_get_parameter_at_half_the_session_timeout()
    {
        await using var server = new ScriptedRtspServer { SessionTimeout = 2 };
        var source = new RtspSource();
        var sink = new NullSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3.5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            source.RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Tcp, sink, cts.Token));

        var keepAlives = server.Requests.Count(r => r.StartsWith("GET_PARAMETER", StringComparison.Ordinal));
        Assert.InRange(keepAlives, 2, 4); // every 1 s for 3.5 s
        Assert.Equal(keepAlives, source.Statistics.KeepAlivesSent);
        Assert.True(sink.Frames > 50, $"{sink.Frames} G.711 frames");
        Assert.Contains($"SETUP rtsp://127.0.0.1:{server.Port}/cam/track1", server.Requests);
        Assert.Contains(server.Requests, r => r.StartsWith("TEARDOWN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keep_alive_falls_back_to_options_when_get_parameter_is_not_public()
    {
        await using var server = new ScriptedRtspServer { SessionTimeout = 2, PublicMethods = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN" };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2.5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new RtspSource().RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Tcp, new NullSink(), cts.Token));

        Assert.DoesNotContain(server.Requests, r => r.StartsWith("GET_PARAMETER", StringComparison.Ordinal));
        Assert.True(server.Requests.Count(r => r.StartsWith("OPTIONS", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task Garbage_between_frames_is_counted_and_the_stream_goes_on()
    {
        await using var server = new ScriptedRtspServer { InjectGarbage = true };
        var source = new RtspSource();
        var sink = new NullSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // an upper bound; a loaded machine is slow
        var run = source.RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Tcp, sink, cts.Token);
        int Answers() => server.ClientResponses.Count(r => r.StartsWith("200 10", StringComparison.Ordinal));
        while (!cts.IsCancellationRequested && !run.IsCompleted
               && (source.Statistics.MalformedMessages < 3 || sink.Frames <= 30 || Answers() < 3))
        {
            await Task.Delay(50);
        }
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.True(source.Statistics.MalformedMessages >= 3, $"{source.Statistics.MalformedMessages} malformed");
        Assert.True(sink.Frames > 30, $"{sink.Frames} frames"); // 1 packet in 10 follows garbage: the rest must get through
        Assert.True(Answers() >= 3,
            "the client answers the camera's GET_PARAMETER pings");
    }

    [Theory]
    [InlineData("Content-Base", "/base/", "/base/track1")]
    [InlineData("Content-Location", "/located", "/located/track1")]
    [InlineData(null, null, "/cam/track1")] // neither: the request URL is the base (RFC 2326 §C.1.1)
    public async Task Relative_controls_resolve_against_the_right_base(string? header, string? basePath, string setupPath)
    {
        await using var server = new ScriptedRtspServer
        {
            BaseHeader = header,
            BaseUrl = basePath is null ? null : $"rtsp://placeholder{basePath}",
        };
        var port = server.Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new RtspSource().RunAsync(new Uri($"rtsp://127.0.0.1:{port}/cam"), RtspTransport.Tcp, new NullSink(), cts.Token));

        var expectedHost = basePath is null ? $"127.0.0.1:{port}" : "placeholder";
        Assert.Contains($"SETUP rtsp://{expectedHost}{setupPath}", server.Requests);
    }

    [Fact]
    public async Task Redirect_is_followed_and_loops_are_bounded()
    {
        await using var server = new ScriptedRtspServer();
        server.Redirects["/old"] = $"rtsp://127.0.0.1:{server.Port}/new";
        server.Redirects["/loop"] = $"rtsp://127.0.0.1:{server.Port}/loop";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new RtspSource().RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/old"), RtspTransport.Tcp, new NullSink(), cts.Token));
        Assert.Contains($"PLAY rtsp://127.0.0.1:{server.Port}/new/", server.Requests);

        var error = await Assert.ThrowsAsync<RtspException>(() =>
            new RtspSource().RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/loop"), RtspTransport.Tcp, new NullSink(), CancellationToken.None));
        Assert.Contains("redirects", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Udp_without_packets_is_reported_so_the_caller_can_fall_back_to_tcp()
    {
        await using var server = new ScriptedRtspServer { SendRtp = false };
        var source = new RtspSource(new RtspClientOptions { UdpNoPacketTimeout = TimeSpan.FromSeconds(1) });
        var started = TimeProvider.System.GetTimestamp();
        var error = await Assert.ThrowsAsync<RtspException>(() =>
            source.RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Udp, new NullSink(), CancellationToken.None));

        Assert.Contains("use TCP", error.Message, StringComparison.Ordinal);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 0.9, 5);
        Assert.Contains(server.Requests, r => r.StartsWith("TEARDOWN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_that_goes_silent_is_cut_a_read_timeout_after_its_last_packet()
    {
        // The watchdog sleeps until the timeout would expire, rather than polling: it must still fire on time, and
        // not before (the stream was healthy for a second and a half before it went silent).
        await using var server = new ScriptedRtspServer { PauseAfterPackets = 75, PauseFor = TimeSpan.FromSeconds(10) };
        var source = new RtspSource(new RtspClientOptions { ReadTimeout = TimeSpan.FromSeconds(1) });
        var sink = new NullSink();
        var error = await Assert.ThrowsAsync<RtspException>(() =>
            source.RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Tcp, sink, CancellationToken.None));

        var silentFor = Environment.TickCount64 - Volatile.Read(ref sink.LastFrameAt);
        Assert.Contains("no RTP packet for 1 s", error.Message, StringComparison.Ordinal);
        Assert.InRange(sink.Frames, 70, 75);
        Assert.InRange(silentFor, 950, 2500);
    }

    [Fact]
    public async Task Tcp_stream_that_stops_sending_hits_the_read_timeout()
    {
        await using var server = new ScriptedRtspServer { SendRtp = false };
        var source = new RtspSource(new RtspClientOptions { ReadTimeout = TimeSpan.FromSeconds(1) });
        var error = await Assert.ThrowsAsync<RtspException>(() =>
            source.RunAsync(new Uri($"rtsp://127.0.0.1:{server.Port}/cam"), RtspTransport.Tcp, new NullSink(), CancellationToken.None));
        Assert.Contains("no RTP packet for 1 s", error.Message, StringComparison.Ordinal);
    }
}
