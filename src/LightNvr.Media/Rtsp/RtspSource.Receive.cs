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

    private const long NoPacketYet = long.MinValue;

    /// <summary>
    /// When the last valid RTP packet came (<see cref="TimeProvider.GetTimestamp"/>), or <see cref="NoPacketYet"/>.
    /// </summary>
    private long _lastPacketAt = NoPacketYet;

    private async Task ReceiveAsync(RtspClient client, List<RtspTrack> tracks, RtspTransport transport, string baseUrl,
        CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var cameraAddress = client.Connection.RemoteAddress;
        var tasks = new List<Task>
        {
            client.Completion,
            KeepAliveLoopAsync(client, baseUrl, stop.Token),
            WatchdogLoopAsync(transport, stop.Token),
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

    /// <summary>
    /// Ends the session when no RTP packet came for <see cref="RtspClientOptions.ReadTimeout"/> (over UDP: none at
    /// all within <see cref="RtspClientOptions.UdpNoPacketTimeout"/> of PLAY). It sleeps until the moment the timeout
    /// would expire if nothing more arrived, so a healthy camera costs one wake-up per timeout, not a periodic poll.
    /// </summary>
    private async Task WatchdogLoopAsync(RtspTransport transport, CancellationToken ct)
    {
        var start = _time.GetTimestamp();
        Volatile.Write(ref _lastPacketAt, NoPacketYet);
        while (true)
        {
            var last = Volatile.Read(ref _lastPacketAt);
            var waitingForFirstUdp = last == NoPacketYet && transport == RtspTransport.Udp &&
                                     _options.UdpNoPacketTimeout < _options.ReadTimeout;
            var limit = waitingForFirstUdp ? _options.UdpNoPacketTimeout : _options.ReadTimeout;
            var left = limit - _time.GetElapsedTime(last == NoPacketYet ? start : last);
            if (left <= TimeSpan.Zero)
            {
                throw waitingForFirstUdp
                    ? new RtspException(null,
                        $"no RTP packet over UDP within {_options.UdpNoPacketTimeout.TotalSeconds:0.#} s after PLAY (blocked by a firewall or NAT?); use TCP")
                    : new RtspException(null, $"no RTP packet for {_options.ReadTimeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(left + TimeSpan.FromMilliseconds(1), _time, ct);
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
        Volatile.Write(ref _lastPacketAt, _time.GetTimestamp());
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
