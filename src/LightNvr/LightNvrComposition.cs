using LightNvr.Api;
using LightNvr.Api.Detection;
using LightNvr.Auth;
using LightNvr.Cameras;
using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Demo;
using LightNvr.Detection;
using LightNvr.Hosting;
using LightNvr.Live;
using LightNvr.Recording;
using LightNvr.Restream;
using LightNvr.Storage;

namespace LightNvr;

/// <summary>
/// The composition root's two lists, shared by Program.cs and the tests that need the whole server (the authorization
/// matrix): every subsystem's services in start-up order, and every route group in one place.
/// </summary>
public static class LightNvrComposition
{
    /// <summary>Every subsystem, in the order start-up needs (the host's own services are added by the caller).</summary>
    public static IServiceCollection AddLightNvrSubsystems(this IServiceCollection services, LightNvrConfig config,
        PasswordHashingOptions? hashing = null)
    {
        services.AddLightNvrData(config);
        services.AddLightNvrAuth(config, hashing);
        services.AddLightNvrRecording(); // before the cameras: start-up repair runs before the first recorder
        services.AddLightNvrDemo(config); // [demo] camera: before the cameras, so they load the demo row as it ends up
        services.AddLightNvrCameras<RtspCameraSourceFactory>();
        services.AddLightNvrRestream(config); // after the cameras: publish-mode streams get their publishers as source
        services.AddLightNvrStorage(config);
        services.AddLightNvrLive();
        services.AddLightNvrDetection(); // after the cameras: it follows their start and stop
        return services;
    }

    /// <summary>
    /// Authentication, the stream access check, the cross-site request guard and every route: the REST API, go2rtc's
    /// API, HLS and the web UI (last: it is the catch-all).
    /// </summary>
    public static WebApplication MapLightNvrApi(this WebApplication app)
    {
        app.UseLightNvrAuth();
        app.UseCrossSiteRequestGuard(); // after authentication: only cookie-signed requests are checked
        app.MapHealthEndpoints();
        app.MapSystemEndpoints();
        app.MapSettingsEndpoints();
        app.MapAuthEndpoints();
        app.MapStreamEndpoints();
        app.MapZoneEndpoints();
        app.MapRecordingEndpoints();
        app.MapLightNvrStorageEndpoints();
        app.MapGo2rtcEndpoints();
        app.MapHlsEndpoints();
        app.MapWebRoot();
        return app;
    }
}
