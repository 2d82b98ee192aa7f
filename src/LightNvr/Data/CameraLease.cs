namespace LightNvr.Data;

/// <summary>
/// One row of <c>camera_leases</c> (M0010): <see cref="NodeId"/> records <see cref="StreamName"/> until the lease
/// expires. <see cref="Epoch"/> grows at every change of holder (the fencing token). <see cref="RemainingMilliseconds"/>
/// is measured on the database's clock when the row is read (≤ 0: expired; a released lease has expires_at 0).
/// </summary>
public sealed record CameraLease(string StreamName, string NodeId, long Epoch, long ExpiresAtMilliseconds, long RemainingMilliseconds)
{
    public bool Valid => RemainingMilliseconds > 0;

    /// <summary>Given up by its node (graceful stop or rebalancing), not merely expired.</summary>
    public bool Released => ExpiresAtMilliseconds == 0;
}
