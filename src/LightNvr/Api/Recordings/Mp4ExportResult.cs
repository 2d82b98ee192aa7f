using LightNvr.Api.Http;
using LightNvr.Media.Mp4.Export;
using Microsoft.Net.Http.Headers;

namespace LightNvr.Api.Recordings;

/// <summary>Writes an <see cref="Mp4ExportPlan"/> as an attachment, whole or one byte range (206, or 416 + <c>bytes */size</c>).</summary>
public sealed class Mp4ExportResult(Mp4ExportPlan plan, string fileName, EntityTagHeaderValue tag) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var headers = response.Headers;
        headers.AcceptRanges = "bytes";
        headers.ETag = tag.ToString();
        headers.CacheControl = "private, max-age=60";
        headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        response.ContentType = "video/mp4";
        var rangeHeader = httpContext.Request.Headers.Range.ToString();
        var ifRange = httpContext.Request.Headers.IfRange.ToString();
        if (!string.IsNullOrEmpty(ifRange) && ifRange != tag.ToString())
        {
            rangeHeader = "";
        }
        var parsed = ByteRange.TryParse(rangeHeader, plan.Length, out var range);
        if (parsed == false)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            headers.ContentRange = $"bytes */{plan.Length}";
            return;
        }
        if (parsed == true)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            headers.ContentRange = $"bytes {range.From}-{range.From + range.Count - 1}/{plan.Length}";
        }
        response.ContentLength = range.Count;
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            return;
        }
        await plan.WriteRangeAsync(response.Body, range.From, range.Count, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
