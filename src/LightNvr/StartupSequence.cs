using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Data;
using LightNvr.Demo;
using LightNvr.Detection;
using LightNvr.Events;
using LightNvr.Integrations.Mqtt;
using LightNvr.Integrations.Webhooks;
using LightNvr.Onvif;
using LightNvr.Recording;
using LightNvr.Restream;
using LightNvr.Storage;

namespace LightNvr;

/// <summary>
/// The start-up order, in one place: each subsystem's hosted service starts after the one before it has finished
/// starting, whatever order the <c>Add…</c> calls ran in (<see cref="Hosting.HostedServiceOrder.StartInOrder"/>,
/// applied by <see cref="LightNvrComposition.AddLightNvrSubsystems"/>). Shutdown runs by
/// <see cref="Hosting.ShutdownPriority"/>, not by this list.
/// </summary>
public static class StartupSequence
{
    public static readonly IReadOnlyList<Type> Steps =
    [
        // 1. Schema migrations: everything below reads tables (a schema newer than this build stops the host here).
        typeof(DatabaseMigrationService),
        // 2. The first admin from [web] username/password, so a login works as soon as Kestrel listens.
        typeof(FirstAdminService),
        // 3. Recorder leases (PostgreSQL only): this node's cameras claimed before any recorder can start.
        typeof(RecordingLeases),
        //    Recording recovery (segments cut by a crash repaired, orphan files adopted), then recorders attach to
        //    cameras as they start: recovery completes before the first camera starts (docs/recording.md).
        typeof(RecordingService),
        // 4. The event spine: events a crash left open are closed at their last sighting before anything new arrives.
        typeof(EventService),
        //    Webhooks: deliveries a restart interrupted are sent (their retry times are in the rows); new ones follow events.
        typeof(WebhookSender),
        // 5. Event recording (pre-event buffers) and detection (decoders): both attach to cameras as they start.
        typeof(EventRecordingService),
        typeof(DetectionService),
        // 6. The [demo] camera's row, so the cameras load it as it ends up.
        typeof(DemoCameraService),
        // 7. The cameras: every enabled stream, started staggered (CameraService.StartStagger).
        typeof(CameraService),
        // 8. The RTSP restream server: after the cameras, publish-mode streams get their publishers as source.
        typeof(RestreamService),
        // 9. The storage manager: retention, quotas and free space, once recordings are running.
        typeof(StorageService),
        // 10. Periodic database backups: a background loop; its first copy is due an interval after start.
        typeof(DatabaseBackupService),
        // 11. MQTT: connects in the background (a broker that is away delays nothing) once the cameras run, so its
        //     first states are real; it subscribed to events at construction, so none is missed before. Stops after
        //     the event spine has closed every event (shutdown tier), so their ends are flushed before "offline".
        typeof(MqttService),
        // 12. ONVIF discovery: periodic only when [onvif] discovery_enabled; nothing else waits for it.
        typeof(OnvifDiscoveryService),
        // 13. ONVIF camera events (PullPoint) into the event spine, started after it (step 4).
        typeof(OnvifEventService),
        // 14. WebRTC warm-up: the UDP port a moment after start; one in-memory DTLS handshake when the cameras are
        //     first listed, so the first viewer does not pay the cold JIT of the crypto (docs/webrtc.md); nothing waits.
        typeof(Live.WebRtc.WebRtcWarmup),
        // 15. The export cache (other nodes' segments fetched for an export): emptied of what a crash left; it only
        //     has to be done before the web server answers, which starts after every hosted service.
        typeof(ExportCache),
    ];
}
