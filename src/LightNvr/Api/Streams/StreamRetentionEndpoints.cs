using System.Text.Json.Nodes;
using LightNvr.Api.Http;
using LightNvr.Data;

namespace LightNvr.Api.Streams;

/// <summary>GET/PUT /api/streams/{name}/retention (lightnvr-api.md §2.3), mapped by <see cref="StreamEndpoints"/>.</summary>
public static class StreamRetentionEndpoints
{
    public static async Task<IResult> GetAsync(string name, HttpContext context, StreamStore store)
    {
        var (stream, error) = await StreamEndpoints.FindAsync(name, context, store).ConfigureAwait(false);
        return stream is null ? error! : JsonReply.Ok(ToJson(stream));
    }

    public static async Task<IResult> UpdateAsync(string name, HttpContext context, StreamStore store, StreamChanges changes)
    {
        var (current, error) = await StreamEndpoints.FindAsync(name, context, store).ConfigureAwait(false);
        if (current is null)
        {
            return error!;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bodyError!;
        }
        var request = new StreamRequest(new RequestFields(RetentionOnly(body)));
        var updated = request.Apply(current, create: false);
        if (updated is null)
        {
            return ApiErrors.Status(request.Status, request.Error!);
        }
        await changes.UpdateAsync(current, updated, context.RequestAborted).ConfigureAwait(false);
        var json = ToJson(updated);
        json["message"] = "Retention config updated successfully";
        return JsonReply.Ok(json);
    }

    /// <summary>Only the three retention keys of the body: StreamRequest then applies just the keys present.</summary>
    private static JsonObject RetentionOnly(JsonObject body)
    {
        var retentionOnly = new JsonObject();
        foreach (var key in new[] { "retention_days", "detection_retention_days", "max_storage_mb" })
        {
            if (body.TryGetPropertyValue(key, out var value))
            {
                retentionOnly[key] = value?.DeepClone();
            }
        }

        return retentionOnly;
    }

    private static JsonObject ToJson(StreamConfig s) => new()
    {
        ["stream_name"] = s.Name, ["retention_days"] = s.RetentionDays, ["detection_retention_days"] = s.DetectionRetentionDays,
        ["max_storage_mb"] = s.MaxStorageMb,
    };
}
