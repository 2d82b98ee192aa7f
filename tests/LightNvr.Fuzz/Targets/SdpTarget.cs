using LightNvr.Media.Rtp;
using LightNvr.Media.Sdp;
using LightNvr.Testing;

namespace LightNvr.Fuzz.Targets;

/// <summary>
/// A DESCRIBE reply's body. Documented outcome for bad input: <c>TryParse</c> false with an error; a payload format the
/// core cannot carry: <c>Create</c> returns null with a reason. Nothing may throw, from the text to the depacketizer's
/// initial track (fmtp parameter sets, AAC config, clock rates).
/// </summary>
public static class SdpTarget
{
    public static void Run(byte[] data)
    {
        if (!SdpSessionDescription.TryParse(data, out var session, out var error))
        {
            if (error is null)
            {
                throw new FuzzInvariantException("TryParse failed without an error message");
            }

            return;
        }

        _ = session!.Control;
        foreach (var media in session.Media)
        {
            _ = media.Control;
            var trackId = 0;
            foreach (var format in media.GetPayloadFormats())
            {
                var d = RtpDepacketizer.Create(format, trackId++, new TestClock(), _ => { }, out var reason);
                if (d is null && reason is null)
                {
                    throw new FuzzInvariantException($"no depacketizer for {format.EncodingName} and no reason");
                }

                if (d is not null && d.Track.ClockRate <= 0)
                {
                    throw new FuzzInvariantException($"{format.EncodingName} track with clock rate {d.Track.ClockRate}");
                }
            }
        }
    }
}
