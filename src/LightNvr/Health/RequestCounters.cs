namespace LightNvr.Health;

/// <summary>Requests served and failed (status ≥ 500 or an exception), for <c>/api/health</c>'s counters.</summary>
public sealed class RequestCounters
{
    private long _total;
    private long _failed;

    public long Total => Interlocked.Read(ref _total);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The middleware: counts after the rest of the pipeline ran.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _total);
        try
        {
            await next(context);
        }
        catch
        {
            Interlocked.Increment(ref _failed);
            throw;
        }

        if (context.Response.StatusCode >= 500)
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
