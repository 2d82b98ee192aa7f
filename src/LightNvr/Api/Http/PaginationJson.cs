using System.Text.Json.Serialization;

namespace LightNvr.Api.Http;

/// <summary>Upstream's pagination object: <c>pages</c> = ceil(total / limit).</summary>
public sealed record PaginationJson(
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("pages")] long Pages,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("limit")] int Limit);
