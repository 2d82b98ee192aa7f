namespace LightNvr.Cameras;

/// <summary>
/// Which cameras this recorder node holds (docs/scale.md "Recorder nodes"), as the layers below recording see it: the
/// cameras keep a held camera connected and connect to the others on demand, the RTSP restream serves a node relay
/// only for a held camera. Implemented by <c>Recording.RecordingLeases</c>; on one box (SQLite) every camera is held.
/// </summary>
public interface ICameraLeases
{
    /// <summary>False on one box: no leases, this node holds everything.</summary>
    bool Enabled { get; }

    /// <summary>Whether this node holds <paramref name="stream"/>'s lease (always true when not <see cref="Enabled"/>).</summary>
    bool Holds(string stream);

    /// <summary>Raised (each subscriber awaited) when a camera's lease is gained or lost.</summary>
    event Func<string, Task>? LeaseChanged;
}
