using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace LightNvr.Media.Rtsp;

/// <summary>The receiving half of <see cref="RtspSource"/>: RTP/RTCP in, keep-alives and receiver reports out, watchdogs.</summary>
public sealed partial class RtspSource
{
    /// <summary>Largest UDP payload: 65,535 − 8 (UDP header) − 20 (IPv4 header), RFC 768 / RFC 791.</summary>
    private const int MaxUdpPayload = 65507;

    /// <summary>Fixed RTP header, RFC 3550 §5.1.</summary>
    private const int MinRtpPacket = 12;

    /// <summary>Interleaved header + RR (32) + SDES with a CNAME of at most 255 bytes, padded (RFC 3550 §6.4.2, §6.5).</summary>
    private const int MaxReceiverReportFrame = RtspLimits.InterleavedHeaderLength + 32 + 4 + 264;

    /// <summary>The watchdog looks at the packet counters five times per timeout it enforces, at most once a second.</summary>
    private static readonly TimeSpan MaxWatchdogPeriod = TimeSpan.FromSeconds(1);

    private async Task ReceiveAsync(RtspClient client, List<RtspTrack> tracks, RtspTransport transport, string baseUrl,
        CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var cameraAddress = client.Connection.RemoteAddress;
        var tasks = new List<Task>
        {
            client.Completion,
            KeepAliveLoopAsync(client, baseUrl, stop.Token),
            WatchdogLoopAsync(tracks, transport, stop.Token),
            ReceiverReportLoopAsync(client, tracks, stop.Token),
            Task.Delay(Timeout.Infinite, stop.Token),
        };
        foreach (var track in tracks)
        {
            if (track.Udp is { } pair)
            {
                tasks.Add(UdpLoopAsync(pair.Rtp, track, cameraAddress, rtcp: false, stop.Token));
                tasks.Add(UdpLoopAsync(pair.Rtcp, track, cameraAddress, rtcp: true, stop.Token));
            }
        }

        var first = await Task.WhenAny(tasks);
        await stop.CancelAsync();
        foreach (var task in tasks)
        {
            if (task != first && task != client.Completion)
            {
                try
                {
                    await task;
                }
                catch (Exception)
                {
                    // Loops end with OperationCanceledException once stopped; the first failure is what counts.
                }
            }
        }

        ct.ThrowIfCancellationRequested();
        await first;
        throw new RtspException(null, "session ended");
    }

    private async Task KeepAliveLoopAsync(RtspClient client, string baseUrl, CancellationToken ct)
    {
        var interval = client.Session?.KeepAliveInterval ??
                       TimeSpan.FromSeconds(RtspSessionHeader.DefaultTimeoutSeconds / 2.0);
        while (true)
        {
            await Task.Delay(interval, _time, ct);
            await client.KeepAliveAsync(baseUrl, ct);
        }
    }

    private async Task WatchdogLoopAsync(List<RtspTrack> tracks, RtspTransport transport, CancellationToken ct)
    {
        var start = _time.GetTimestamp();
        var lastChange = start;
        long lastCount = 0;
        var shortest = transport == RtspTransport.Udp && _options.UdpNoPacketTimeout < _options.ReadTimeout
            ? _options.UdpNoPacketTimeout : _options.ReadTimeout;
        var period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 5, TimeSpan.TicksPerMillisecond * 10, MaxWatchdogPeriod.Ticks));
        while (true)
        {
            await Task.Delay(period, _time, ct);
            long count = 0;
            foreach (var track in tracks)
            {
                count += Interlocked.Read(ref track.Packets);
            }

            if (count != lastCount)
            {
                lastCount = count;
                lastChange = _time.GetTimestamp();
                continue;
            }

            if (count == 0 && transport == RtspTransport.Udp && _time.GetElapsedTime(start) >= _options.UdpNoPacketTimeout)
            {
                throw new RtspException(null,
                    $"no RTP packet over UDP within {_options.UdpNoPacketTimeout.TotalSeconds:0.#} s after PLAY (blocked by a firewall or NAT?); use TCP");
            }

            if (_time.GetElapsedTime(lastChange) >= _options.ReadTimeout)
            {
                throw new RtspException(null, $"no RTP packet for {_options.ReadTimeout.TotalSeconds:0.#} s");
            }
        }
    }

    private async Task ReceiverReportLoopAsync(RtspClient client, List<RtspTrack> tracks, CancellationToken ct)
    {
        var buffer = new byte[MaxReceiverReportFrame];
        while (true)
        {
            await Task.Delay(_options.ReceiverReportInterval, _time, ct);
            foreach (var track in tracks)
            {
                var n = track.WriteReceiverReport(buffer.AsSpan(RtspLimits.InterleavedHeaderLength), _ourSsrc, _cname);
                if (n == 0)
                {
                    continue;
                }

                try
                {
                    if (track.Udp is { } pair && track.ServerRtcp is { } endpoint)
                    {
                        await pair.Rtcp.SendToAsync(buffer.AsMemory(RtspLimits.InterleavedHeaderLength, n), endpoint, ct);
                    }
                    else if (track.Udp is null)
                    {
                        RtspInterleavedFrame.WriteHeader((byte)((2 * track.Id) + 1), n, buffer);
                        await client.Connection.WriteAsync(buffer.AsMemory(0, RtspLimits.InterleavedHeaderLength + n), ct);
                    }
                    else
                    {
                        continue;
                    }

                    Statistics.AddReceiverReport();
                }
                catch (Exception e) when (e is SocketException or RtspException)
                {
                    // A lost report is harmless; a dead connection is noticed by the read loop.
                }
            }
        }
    }

    private async Task UdpLoopAsync(Socket socket, RtspTrack track, IPAddress? camera, bool rtcp, CancellationToken ct)
    {
        var buffer = new byte[MaxUdpPayload];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (true)
        {
            var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct);
            Statistics.AddBytes(result.ReceivedBytes);
            if (camera is not null && result.RemoteEndPoint is IPEndPoint from && !from.Address.Equals(camera))
            {
                Statistics.AddDroppedPacket(); // not from the camera: never let a stranger inject media
                continue;
            }

            var packet = buffer.AsSpan(0, result.ReceivedBytes);
            if (rtcp)
            {
                Statistics.AddRtcpPacket();
                track.PushRtcp(packet);
            }
            else
            {
                OnRtp(track, packet);
            }
        }
    }

    private void OnInterleaved(List<RtspTrack> tracks, byte channel, in ReadOnlySequence<byte> payload)
    {
        var id = channel / 2;
        if (id >= tracks.Count || tracks[id].Udp is not null)
        {
            Statistics.AddDroppedPacket();
            return;
        }

        byte[]? rented = null;
        var span = payload.IsSingleSegment ? payload.FirstSpan : CopyTo(payload, out rented);
        try
        {
            if (channel % 2 == 1)
            {
                Statistics.AddRtcpPacket();
                tracks[id].PushRtcp(span);
            }
            else
            {
                OnRtp(tracks[id], span);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ReadOnlySpan<byte> CopyTo(in ReadOnlySequence<byte> payload, out byte[] rented)
    {
        rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        payload.CopyTo(rented);
        return rented.AsSpan(0, (int)payload.Length);
    }

    private void OnRtp(RtspTrack track, ReadOnlySpan<byte> packet)
    {
        // The depacketizer parses and counts in detail; this pre-check only keeps the source's own counters honest.
        if (packet.Length < MinRtpPacket || packet[0] >> 6 != 2)
        {
            Statistics.AddMalformedRtpPacket();
            return;
        }

        if ((packet[1] & 0x7F) != track.Format.PayloadType)
        {
            Statistics.AddDroppedPacket();
            return;
        }

        Interlocked.Increment(ref track.Packets);
        Statistics.AddRtpPacket();
        try
        {
            track.PushRtp(packet);
        }
        catch (Exception)
        {
            // A depacketizer must count its own errors; should one throw anyway, the stream survives.
            Statistics.AddMalformedRtpPacket();
        }
    }
}
