using LightNvr.Data;

namespace LightNvr.Storage;

/// <summary>
/// One complete segment in an export's range: its row, and its file's real path when it is on this node's disk (or a
/// shared mount). <see cref="LocalPath"/> null with a <see cref="Owner"/>: the file is on that recorder node and is
/// fetched from it by id (docs/scale.md "Export across nodes").
/// </summary>
public sealed record ExportSegment(RecordingRecord Row, string? LocalPath)
{
    /// <summary>The node whose disk holds the file when this node's does not; "" when local or unknown (legacy row).</summary>
    public string Owner => LocalPath is null ? Row.NodeId : "";
}
