using System.Buffers;

namespace LightNvr.Media.Mp4.Export;

/// <summary>
/// A planned export: one fragmented MP4 (init segment + one fragment per source fragment in range) whose every byte
/// is known from the plan, so <see cref="Length"/> is the Content-Length and <see cref="WriteRangeAsync"/> serves an
/// HTTP Range request without building what comes before it. Sample data are read from the source files on demand.
/// </summary>
public sealed class Mp4ExportPlan
{
    /// <summary>Copy buffer for file slices: 64 KiB, the usual sequential-read size.</summary>
    public const int CopyBufferSize = 64 * 1024;

    private readonly IReadOnlyList<Mp4ExportSource> _sources;
    private readonly List<Mp4ExportPart> _parts;

    internal Mp4ExportPlan(IReadOnlyList<Mp4ExportSource> sources, IReadOnlyList<MediaTrack> tracks,
        List<Mp4ExportPart> parts)
    {
        _sources = sources;
        _parts = parts;
        Tracks = tracks;
        foreach (var p in parts)
        {
            Length += p.Length;
        }
    }

    public IReadOnlyList<MediaTrack> Tracks { get; }

    /// <summary>Total size of the MP4 in bytes.</summary>
    public long Length { get; }

    /// <summary>Time (on the sources' axis) of the first exported video sample: the keyframe at or before the start asked.</summary>
    public long StartMs { get; internal set; }

    /// <summary>Time just after the last exported sample of the primary track.</summary>
    public long EndMs { get; internal set; }

    public int FragmentCount { get; internal set; }

    /// <summary>Samples exported per track.</summary>
    public IReadOnlyList<int> SampleCounts { get; internal set; } = [];

    /// <summary>True when a later source had different codec parameters: the export stops before it (see docs/mp4.md).</summary>
    public bool StoppedAtParameterChange { get; internal set; }

    /// <summary>True when no sample fell in the range (the plan is then just an init segment).</summary>
    public bool IsEmpty => FragmentCount == 0;

    public IReadOnlyList<Mp4ExportPart> Parts => _parts;

    public Task WriteToAsync(Stream output, CancellationToken cancellationToken = default) =>
        WriteRangeAsync(output, 0, Length, cancellationToken);

    /// <summary>Writes bytes [offset, offset + count) of the export.</summary>
    public async Task WriteRangeAsync(Stream output, long offset, long count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, Length);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        var files = new FileStream?[_sources.Count];
        try
        {
            long partStart = 0;
            var end = offset + count;
            foreach (var part in _parts)
            {
                var partEnd = partStart + part.Length;
                if (partEnd > offset && partStart < end)
                {
                    var from = Math.Max(offset, partStart) - partStart;
                    var length = Math.Min(end, partEnd) - partStart - from;
                    if (part.Bytes is not null)
                    {
                        await output.WriteAsync(part.Bytes.AsMemory((int)from, (int)length), cancellationToken);
                    }
                    else
                    {
                        var file = files[part.SourceIndex] ??= new FileStream(_sources[part.SourceIndex].Path,
                            FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
                        await CopySliceAsync(file, part.SourceOffset + from, length, output, buffer, cancellationToken);
                    }
                }

                partStart = partEnd;
                if (partStart >= end)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            foreach (var f in files)
            {
                if (f is not null)
                {
                    await f.DisposeAsync();
                }
            }
        }
    }

    private static async Task CopySliceAsync(FileStream file, long position, long length, Stream output, byte[] buffer,
        CancellationToken cancellationToken)
    {
        file.Position = position;
        while (length > 0)
        {
            var chunk = (int)Math.Min(buffer.Length, length);
            var read = await file.ReadAsync(buffer.AsMemory(0, chunk), cancellationToken);
            if (read == 0)
            {
                throw new IOException($"{file.Name} shrank while exporting (needed {length} more bytes at {file.Position})");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length -= read;
        }
    }
}
