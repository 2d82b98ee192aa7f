using LightNvr.IO;
using LightNvr.Media;
using LightNvr.Media.Mp4.Fragmented;

namespace LightNvr.Recording;

/// <summary>
/// One segment file being written: an init segment, then about one fragment (moof+mdat) per second from
/// <see cref="Fmp4Muxer"/>. Every fragment is handed to the OS at once (a kill -9 then loses nothing written), and
/// fsync'd every <see cref="FsyncEveryFragments"/> fragments (a power cut loses at most that many). Bytes are
/// written unbuffered straight from the muxer's pooled buffer. After a failed write the file is cut back to the last
/// complete fragment (<see cref="CommittedLength"/>), so it always ends on a fragment boundary.
/// Not thread-safe: owned by one <see cref="StreamRecorder"/>.
/// </summary>
internal sealed class SegmentFile : IDisposable
{
    /// <summary>
    /// fsync cadence: every fragment (~1 s) by default, the D2 promise "a power cut loses at most the last fragment".
    /// Measured cost: see docs/recording.md (fsync policy).
    /// </summary>
    public const int FsyncEveryFragments = 1;

    private readonly FileStream _file;
    /// <summary>A fragment is written about this often (earlier at a keyframe): the most a crash or power cut loses.</summary>
    public static readonly TimeSpan FragmentDuration = TimeSpan.FromSeconds(1);

    private readonly Fmp4FragmentPolicy _fragments = new() { TargetDuration = FragmentDuration };
    private int _unsynced;
    private long _initLength;

    private SegmentFile(FileStream file, string path, Fmp4Muxer muxer)
    {
        _file = file;
        Path = path;
        Muxer = muxer;
    }

    public string Path { get; }

    public Fmp4Muxer Muxer { get; }

    /// <summary>Bytes up to the end of the last complete fragment written.</summary>
    public long CommittedLength { get; private set; }

    /// <summary>Media time (primary track, from the file's start) of everything in the complete fragments on disk.</summary>
    public TimeSpan CommittedDuration { get; private set; }

    /// <summary>Whether at least one complete fragment is on disk (else the file is an init segment only: no media).</summary>
    public bool HasFragments => CommittedLength > _initLength;

    /// <summary>
    /// Creates the file exclusively, writes the init segment and makes it durable (file and folder fsync'd) before
    /// returning: only then may a row say the file exists (D4).
    /// </summary>
    public static SegmentFile Create(string directory, DateTime localStart, IReadOnlyList<MediaTrack> tracks,
        IReadOnlyDictionary<int, long>? startDts)
    {
        var muxer = new Fmp4Muxer(tracks, new Fmp4MuxerOptions { StartDts = startDts });
        FileStream? file = null;
        try
        {
            file = SegmentPath.CreateNew(directory, localStart, bufferSize: 0, out var path);
            var segment = new SegmentFile(file, path, muxer);
            file.Write(muxer.InitSegment.Span);
            file.Flush(flushToDisk: true);
            segment.CommittedLength = segment._initLength = file.Length;
            DirectorySync.Sync(directory);
            return segment;
        }
        catch
        {
            muxer.Dispose();
            file?.Dispose();
            throw;
        }
    }

    /// <summary>Adds a frame and writes a fragment when one is due.</summary>
    public Fmp4AddResult Add(MediaFrame frame)
    {
        var result = Muxer.AddFrame(frame);
        if (result == Fmp4AddResult.Added && _fragments.ShouldFlush(Muxer))
        {
            WriteFragment(final: false);
        }

        return result;
    }

    /// <summary>
    /// Ends the segment at <paramref name="keyFrame"/> (which is not written here) and returns the frames the next
    /// segment starts with: the keyframe first, then any other track's frame still held.
    /// </summary>
    public IReadOnlyList<MediaFrame> CutBefore(MediaFrame keyFrame)
    {
        Muxer.AddFrame(keyFrame);
        WriteFragment(final: false);
        var held = Muxer.TakeHeldFrames();
        return [.. held.Where(f => ReferenceEquals(f, keyFrame)), .. held.Where(f => !ReferenceEquals(f, keyFrame))];
    }

    /// <summary>Writes what is buffered (with <paramref name="final"/>, the held frames too) and fsyncs.</summary>
    public void Finish(bool final)
    {
        WriteFragment(final);
        if (_unsynced > 0)
        {
            _file.Flush(flushToDisk: true);
            _unsynced = 0;
        }
    }

    /// <summary>After an I/O error: drops a partly written fragment so the file ends on a fragment boundary.</summary>
    public void TruncateToCommitted()
    {
        try
        {
            _file.SetLength(CommittedLength);
            _file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Still failing (disk full, device gone): start-up repair truncates to the last complete fragment.
        }
    }

    public void Dispose()
    {
        Muxer.Dispose();
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // Nothing buffered (unbuffered stream); a failing close changes nothing on disk.
        }
    }

    private void WriteFragment(bool final)
    {
        var written = Muxer.FlushFragment(_file, final);
        if (written == 0)
        {
            return;
        }

        CommittedLength += written;
        CommittedDuration = Muxer.LastFragment.StartTime + Muxer.LastFragment.Duration;
        if (++_unsynced >= FsyncEveryFragments)
        {
            _file.Flush(flushToDisk: true);
            _unsynced = 0;
        }
    }
}
