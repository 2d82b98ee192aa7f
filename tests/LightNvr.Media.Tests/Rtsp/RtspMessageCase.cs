namespace LightNvr.Media.Tests.Rtsp;

/// <summary>One named input of the RTSP case table.</summary>
/// <param name="Name">Test display name.</param>
/// <param name="Bytes">The wire bytes of exactly one message (or one interleaved frame).</param>
/// <param name="Canonical">True when writing the parsed message gives back exactly <paramref name="Bytes"/>.</param>
public sealed record RtspMessageCase(string Name, byte[] Bytes, bool Canonical)
{
    public override string ToString() => Name;
}
