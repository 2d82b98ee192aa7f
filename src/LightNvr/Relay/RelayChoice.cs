namespace LightNvr.Relay;

/// <summary>
/// Where a camera's source connects this time: to the lease holder's RTSP restream (<see cref="NodeId"/> and its
/// <see cref="RtspAddress"/>), or, when <see cref="NodeId"/> is null, to the camera itself; <see cref="Reason"/> says
/// why (for the log, credential-free).
/// </summary>
public sealed record RelayChoice(string? NodeId, string? RtspAddress, string Reason)
{
    public bool IsRelay => NodeId is not null;

    public static RelayChoice Direct(string reason) => new(null, null, reason);
}
