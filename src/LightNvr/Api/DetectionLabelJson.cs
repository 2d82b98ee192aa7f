using System.Text.Json.Serialization;

namespace LightNvr.Api;

/// <summary>One entry of a recording's <c>detection_labels</c>: <c>{"label":"person","count":3}</c> (lightnvr-api.md §4.1).</summary>
public sealed record DetectionLabelJson(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("count")] long Count);
