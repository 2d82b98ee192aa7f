using System.Text.Json.Serialization;
using LightNvr.Api.Http;

namespace LightNvr.Api.Recordings;

/// <summary><c>{"recordings":[...],"pagination":{...}}</c>, keys in upstream's order (lightnvr-api.md §4.3).</summary>
public sealed record RecordingListJson(
    [property: JsonPropertyName("recordings")] IReadOnlyList<RecordingJson> Recordings,
    [property: JsonPropertyName("pagination")] PaginationJson Pagination);
