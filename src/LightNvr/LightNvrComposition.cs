using LightNvr.Api.WebRtc;
using LightNvr.Api.Go2rtc;
using LightNvr.Api.Recordings;
using LightNvr.Api.Streams;
using LightNvr.Api.System;
using LightNvr.Api.Users;
using LightNvr.Api.Web;
using LightNvr.Api.Detection;
using LightNvr.Api.Events;
using LightNvr.Api.Webhooks;
using LightNvr.Api.Onvif;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Demo;
using LightNvr.Detection;
using LightNvr.Events;
using LightNvr.Hosting;
using LightNvr.Integrations.Mqtt;
using LightNvr.Integrations.Webhooks;
using LightNvr.Live;
using LightNvr.Metrics;
using LightNvr.Onvif;
using LightNvr.Recording;
using LightNvr.Relay;
using LightNvr.Restream;
using LightNvr.Storage;

namespace LightNvr;

/// <summary>
/// The composition root's two lists, shared by Program.cs and the tests that need the whole server (the authorization
/// matrix): every subsystem's services in start-up order, and every route group in one place.
/// </summary>
public static class LightNvrComposition
{
    /// <summary>
    /// Every subsystem (the host's own services are added by the caller). Their hosted services start in the order of
    /// <see cref="StartupSequence.Steps"/> (recovery before cameras), not in the order of the calls below.
    /// </summary>
    public static IServiceCollection AddLightNvrSubsystems(this IServiceCollection services, LightNvrConfig config,
        PasswordHashingOptions? hashing = null)
    {
        services.AddLightNvrData(config);
        services.AddLightNvrAuth(config, hashing);
        services.AddLightNvrRecording();
        services.AddLightNvrDemo(config);
        services.AddLightNvrCameras<RtspCameraSourceFactory>();
        services.AddLightNvrRelay(); // around the RTSP camera source: non-holders relay live view from the holder
        services.AddLightNvrRestream();
        services.AddLightNvrStorage(config);
        services.AddLightNvrLive();
        services.AddLightNvrDetection(); // after the cameras: it follows their start and stop
        services.AddLightNvrEvents(); // after the cameras and live view: event recording and snapshots use both
        services.AddLightNvrWebhooks(); // after the events: its consumer joins the spine
        services.AddLightNvrOnvif(config); // discovery idles unless [onvif] discovery_enabled
        services.AddLightNvrMetrics(); // reads the others at scrape time only
        services.AddLightNvrMqtt(config); // after the events: an event consumer and stream listener (nothing when [mqtt] is off)
        return services.StartInOrder(StartupSequence.Steps);
    }

    /// <summary>
    /// Authentication, the stream access check, the cross-site request guard and every route: the REST API, go2rtc's
    /// API, HLS and the web UI (last: it is the catch-all).
    /// </summary>
    public static WebApplication MapLightNvrApi(this WebApplication app)
    {
        app.UseLightNvrAuth();
        app.UseCrossSiteRequestGuard(); // after authentication: only cookie-signed requests are checked
        // System: /api/health, /api/system, /api/settings, /api/storage, /api/setup.
        app.MapHealthEndpoints();
        app.MapHlsHealthEndpoints();
        app.MapMetricsEndpoints();
        app.MapSystemEndpoints();
        app.MapRestoreEndpoints();
        app.MapSettingsEndpoints();
        app.MapStorageEndpoints();
        app.MapSetupEndpoints();
        // Users: /api/auth (login, sessions), /api/auth/users, /api/auth/totp, /api/auth/trusted-devices.
        app.MapAuthEndpoints();
        app.MapUserEndpoints();
        app.MapTotpEndpoints();
        app.MapTrustedDeviceEndpoints();
        // Streams: /api/streams (with test and retention), HLS.
        app.MapStreamEndpoints();
        app.MapHlsEndpoints();
        // Recordings: list, files, management, tags, batch jobs, maintenance, export, timeline.
        app.MapRecordingEndpoints();
        app.MapRecordingFileEndpoints();
        app.MapRecordingManageEndpoints();
        app.MapRecordingTagEndpoints();
        app.MapRecordingBatchEndpoints();
        app.MapRecordingMaintenanceEndpoints();
        app.MapRecordingExportEndpoints();
        app.MapTimelineEndpoints();
        // Events and detection: /api/events (list, feed), /api/detection/results, /api/motion/trigger, /api/snapshots.
        app.MapEventEndpoints();
        app.MapDetectionEndpoints();
        app.MapDetectionModelEndpoints();
        app.MapZoneEndpoints();
        // Integrations: /api/webhooks (admin).
        app.MapWebhookEndpoints();
        // ONVIF: discovery, add-device (operator).
        app.MapOnvifEndpoints();
        app.MapPtzEndpoints();
        app.MapImagingEndpoints();
        app.MapOnvifNotifyEndpoint();
        // go2rtc's API, then the web UI (last: it is the catch-all).
        app.MapGo2rtcEndpoints();
        app.MapWebRtcEndpoints();
        app.MapWebRoot();
        return app;
    }
}
