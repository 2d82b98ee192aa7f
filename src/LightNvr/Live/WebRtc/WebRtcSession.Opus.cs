using LightNvr.Media;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>The Opus audio of an AAC camera: packets from the stream's <see cref="OpusTranscoder"/>, not the hub.</summary>
public sealed partial class WebRtcSession
{
    /// <summary>The track the transcoded packets are sent as (its id is the plan's <see cref="WebRtcMediaPlan.TranscodedTrackId"/>).</summary>
    private static readonly MediaTrack TranscodedOpus = new()
    {
        Id = WebRtcMediaPlan.TranscodedTrackId, Codec = MediaCodec.Opus, ClockRate = 48000, SampleRate = 48000, Channels = 2,
    };

    /// <summary>Sends <paramref name="feed"/>'s packets on the negotiated Opus track until the session ends; disposes the feed then.</summary>
    internal void AttachOpus(OpusFeed feed)
    {
        var ct = _cts.Token;
        _ = Task.Run(() => PumpOpusAsync(feed, ct), CancellationToken.None);
    }

    private async Task PumpOpusAsync(OpusFeed feed, CancellationToken ct)
    {
        using (feed)
        {
            try
            {
                await foreach (var packet in feed.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    if (_sendSrtp is null || _audio is null)
                    {
                        continue; // before DTLS: nothing to send with
                    }

                    SendFrame(new MediaFrame(TranscodedOpus, packet.Pts, 0, true, packet.Data,
                        _time.GetUtcNow().ToUnixTimeMilliseconds()), packet.Pts);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
