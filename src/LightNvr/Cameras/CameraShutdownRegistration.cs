using LightNvr.Hosting;

namespace LightNvr.Cameras;

/// <summary>
/// Registers the streaming core with the <see cref="ShutdownCoordinator"/> at <see cref="ShutdownPriority.StreamingCore"/>
/// (last: every consumer — recorders, live viewers — has stopped by then).
/// </summary>
public sealed class CameraShutdownRegistration : IDisposable
{
    private readonly IDisposable _registration;

    public CameraShutdownRegistration(ShutdownCoordinator coordinator, CameraService cameras)
    {
        _registration = coordinator.Register("streaming core", ShutdownPriority.StreamingCore, cameras.StopAllAsync);
    }

    public void Dispose() => _registration.Dispose();
}
