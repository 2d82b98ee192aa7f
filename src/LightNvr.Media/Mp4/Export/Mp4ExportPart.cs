namespace LightNvr.Media.Mp4.Export;

/// <summary>
/// One piece of an export's byte stream: either bytes built in memory (init segment, a moof + mdat header) or a
/// slice of a source file (sample data, copied as is). Moonfire NVR's "virtual file" idea: the layout is fixed
/// before a byte is written, so any byte range can be produced on its own.
/// </summary>
public readonly record struct Mp4ExportPart(byte[]? Bytes, int SourceIndex, long SourceOffset, long Length)
{
    public static Mp4ExportPart FromBytes(byte[] bytes) => new(bytes, -1, 0, bytes.Length);

    public static Mp4ExportPart FromSource(int sourceIndex, long offset, long length) => new(null, sourceIndex, offset, length);
}
