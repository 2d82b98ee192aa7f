using LightNvr.Api;
using LightNvr.Storage;

namespace LightNvr.Hosting;

/// <summary>
/// Every route of the server in one place, so Program.cs and the tests that walk the whole route table
/// (tests/LightNvr.Tests/Api/MalformedBodyTests.cs) map the same set. The web root goes last: it is the catch-all.
/// </summary>
public static class EndpointMap
{
    public static WebApplication MapLightNvrEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapSystemEndpoints();
        app.MapSettingsEndpoints();
        app.MapAuthEndpoints();
        app.MapStreamEndpoints();
        app.MapRecordingEndpoints();
        app.MapLightNvrStorageEndpoints();
        app.MapGo2rtcEndpoints();
        app.MapHlsEndpoints();
        app.MapWebRoot();
        return app;
    }
}
