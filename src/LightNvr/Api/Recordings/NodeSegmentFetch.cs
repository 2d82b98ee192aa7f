using System.Globalization;
using System.Net;
using LightNvr.Api.Http;
using LightNvr.Storage;

namespace LightNvr.Api.Recordings;

/// <summary>
/// Fetches the segments of an export that other recorder nodes wrote (docs/scale.md "Export across nodes"): each by
/// its recording id from <c>GET /api/recordings/download/{id}</c> at its node's registered address
/// (<see cref="NodeProxy.OwnerAsync"/>: never a caller-given URL, and only ids go there, never paths), with the
/// caller's credentials and <see cref="NodeProxy.Header"/> (the owner serves its own file or answers 404, never passes
/// the request on), into generated names in the export's <see cref="ExportCacheFolder"/>. A file may not exceed its
/// row's size plus <see cref="SizeSlack"/>, which is what the export reserved. A node that cannot be reached (no
/// connection, a timeout, a 5xx or any other refusal) is reported with why, and its other segments are not tried;
/// a 404 means the owner no longer has that file (left out, as a missing local file is).
/// </summary>
public static class NodeSegmentFetch
{
    /// <summary>Segments fetched at once: two keeps one slow owner from holding every connection, and two cores busy.</summary>
    public const int MaxParallel = 2;

    /// <summary>Bytes a fetched file may exceed its row's <c>size_bytes</c> by (a size the sync has not caught up with).</summary>
    public const long SizeSlack = 1024 * 1024;

    /// <summary>How long one segment may take, headers and body (a 60 s segment at 8 Mbit/s is 60 MB: seconds on a LAN).</summary>
    public static readonly TimeSpan SegmentTimeout = TimeSpan.FromMinutes(2);

    /// <summary>What the export reserves in the cache for one segment.</summary>
    public static long Allowance(ExportSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return Math.Max(0, segment.Row.SizeBytes) + SizeSlack;
    }

    /// <summary>
    /// The files of <paramref name="segments"/> that other nodes wrote, fetched into a new cache folder that lives until
    /// the response ends (row id → file), or the error to answer: 507 when the range alone needs more than the cache,
    /// 503 while other exports fill it, 502 naming an owner that cannot be reached unless <paramref name="partial"/>.
    /// Segments of nodes this request may not reach (unregistered, this node, a request from a node) are left out.
    /// </summary>
    public static async Task<(Dictionary<long, string> Fetched, IResult? Error)> CollectAsync(IReadOnlyList<ExportSegment> segments,
        ExportCache cache, bool partial, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(context);
        var remote = segments.Where(s => s.Owner.Length > 0).ToList();
        var owners = remote.Count == 0 ? [] : await OwnersAsync(remote, context).ConfigureAwait(false);
        remote.RemoveAll(s => !owners.ContainsKey(s.Owner));
        if (remote.Count == 0)
        {
            return ([], null);
        }
        var need = remote.Sum(Allowance);
        if (need > ExportCache.MaxBytes)
        {
            return ([], ApiErrors.Status(StatusCodes.Status507InsufficientStorage, string.Create(CultureInfo.InvariantCulture,
                $"The range needs {need / (1024 * 1024)} MB from other nodes, more than the export cache holds ({ExportCache.MaxBytes / (1024 * 1024)} MB): export a shorter range")));
        }
        if (cache.TryCreate(need) is not { } folder)
        {
            context.Response.Headers.RetryAfter = "10";
            return ([], ApiErrors.Status(StatusCodes.Status503ServiceUnavailable, "Other exports fill the export cache now; try again shortly"));
        }
        context.Response.RegisterForDispose(folder); // the fetched files live until the response has been sent
        var (files, unreachable) = await FetchAsync(remote, owners, folder, context).ConfigureAwait(false);
        if (unreachable.Count > 0 && !partial)
        {
            return ([], ApiErrors.Status(StatusCodes.Status502BadGateway, "Part of the range is stored on "
                + string.Join("; ", unreachable.Select(u => $"node {u.Key}, which cannot be reached: {u.Value}"))
                + ". Add partial=1 to export the rest (the response then lists the missing spans in "
                + RecordingExportEndpoints.MissingHeader + ")"));
        }
        return (files, null);
    }

    /// <summary>Each owner node named by <paramref name="segments"/> that this request may reach: its API base address.</summary>
    public static async Task<Dictionary<string, (string BaseUrl, string Me)>> OwnersAsync(IEnumerable<ExportSegment> segments,
        HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var owners = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var node in segments.Select(s => s.Owner).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (await NodeProxy.OwnerAsync(node, context).ConfigureAwait(false) is { } owner)
            {
                owners[node] = owner;
            }
        }
        return owners;
    }

    /// <summary>
    /// Fetches <paramref name="segments"/> (each owned by a node in <paramref name="owners"/>) into
    /// <paramref name="folder"/>: the files by row id, and the nodes that could not be reached with why.
    /// </summary>
    public static async Task<(Dictionary<long, string> Files, Dictionary<string, string> Unreachable)> FetchAsync(
        IReadOnlyList<ExportSegment> segments, IReadOnlyDictionary<string, (string BaseUrl, string Me)> owners,
        ExportCacheFolder folder, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(context);
        var files = new Dictionary<long, string>();
        var unreachable = new Dictionary<string, string>(StringComparer.Ordinal);
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxParallel, CancellationToken = context.RequestAborted };
        await Parallel.ForEachAsync(segments, options, async (segment, ct) =>
        {
            var node = segment.Owner;
            lock (gate)
            {
                if (unreachable.ContainsKey(node))
                {
                    return; // one failure per node is enough: its other segments would wait as long
                }
            }
            var (baseUrl, me) = owners[node];
            var path = folder.NewFile();
            var error = await FetchOneAsync(new Uri(baseUrl + "/api/recordings/download/"
                + segment.Row.Id.ToString(CultureInfo.InvariantCulture)), me, path, Allowance(segment), context, ct).ConfigureAwait(false);
            lock (gate)
            {
                if (error is null)
                {
                    files[segment.Row.Id] = path;
                }
                else if (error.Length > 0)
                {
                    unreachable.TryAdd(node, error);
                }
            }
        }).ConfigureAwait(false);
        return (files, unreachable);
    }

    /// <summary>Null when the file was written; "" when the owner does not have it (404); else why the node failed.</summary>
    private static async Task<string?> FetchOneAsync(Uri target, string me, string path, long maxBytes, HttpContext context,
        CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, target);
        NodeProxy.AddCallerHeaders(context, message, me, NodeProxy.CredentialHeaders);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(SegmentTimeout);
        try
        {
            using var answer = await NodeProxy.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            if (answer.StatusCode == HttpStatusCode.NotFound)
            {
                return "";
            }
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                return string.Create(CultureInfo.InvariantCulture, $"it answered {(int)answer.StatusCode}");
            }
            if (answer.Content.Headers.ContentLength > maxBytes)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"recording {target.Segments[^1]} is {answer.Content.Headers.ContentLength} bytes, larger than its row says");
            }
            await using var body = await answer.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            var buffer = new byte[81920];
            long written = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
            {
                written += read;
                if (written > maxBytes)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"recording {target.Segments[^1]} is larger than its row says ({maxBytes} bytes at most)");
                }
                await file.WriteAsync(buffer.AsMemory(0, read), timeout.Token).ConfigureAwait(false);
            }
            return null;
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            return e.Message; // the connection broke mid-body
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return string.Create(CultureInfo.InvariantCulture, $"no complete answer within {SegmentTimeout.TotalSeconds:0} s");
        }
    }
}
