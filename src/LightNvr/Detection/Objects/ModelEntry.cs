namespace LightNvr.Detection.Objects;

/// <summary>One entry of <c>GET /api/detection/models</c>: a file in <c>[models] path</c> and what ONNX Runtime says of it.</summary>
public sealed record ModelEntry(
    string Path,
    string Name,
    string Type,
    long Size,
    bool Supported,
    string? UnsupportedReason,
    IReadOnlyList<int>? InputShape,
    string? Format,
    string? Resize,
    int Classes);
