namespace LightNvr.Api.Web;

/// <summary>Served at / and /login when no web UI was built, so a fresh server still says what is going on.</summary>
public static class PlaceholderPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>LightNVR</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
        <h1>LightNVR is running</h1>
        <p>The web UI was not built, so there is nothing to show here yet. Build it with <code>make build</code>
        (it lands in the <code>www</code> folder beside the server, or set <code>[web] root</code>).</p>
        <p>The API answers meanwhile: <a href="/api/health">/api/health</a>.</p>
        </body></html>
        """;
}
